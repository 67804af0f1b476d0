using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Amlfs.Alerts.Tests;

/// <summary>
/// A real HTTP listener (Kestrel on a free port of 127.0.0.1) that records every request posted to <c>/hook</c> and
/// answers from a script of status codes, then 200.
/// </summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script;

    private WebhookListener(WebApplication app, ConcurrentQueue<int> script)
    {
        _app = app;
        _script = script;
    }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Completes with the first request answered 2xx.</summary>
    public TaskCompletionSource<Received> FirstAccepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookListener> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new WebhookListener(app, new ConcurrentQueue<int>(statuses));
        app.MapPost("/hook", listener.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.Url = new Uri(address.TrimEnd('/') + "/hook");
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var received = new Received(await reader.ReadToEndAsync(), request.ContentType, request.Headers["Idempotency-Key"].ToString());
        Requests.Enqueue(received);
        var status = _script.TryDequeue(out var scripted) ? scripted : 200;
        if (status < 300)
            FirstAccepted.TrySetResult(received);
        return Results.StatusCode(status);
    }

    internal sealed record Received(string Body, string? ContentType, string IdempotencyKey);
}
