using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amlfs.Alerts.Outbox;
using Amlfs.Alerts.Rules;

namespace Amlfs.Alerts.Delivery;

/// <summary>
/// Posts each alert to a URL: the alert as JSON (<see cref="AlertJsonContext"/>, snake_case), or a Slack-compatible
/// message with <c>text</c> and <c>blocks</c>. The dedupe key goes in an <c>Idempotency-Key</c> header too, so a
/// receiver can drop the repeat a crash between delivery and its record may cause. A 2xx answer delivers; 408, 429,
/// 5xx, a network error or a timeout are retried; any other answer refuses the alert for good.
/// </summary>
public sealed class WebhookChannel : IAlertChannel
{
    private readonly AlertChannelDefinition _definition;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public WebhookChannel(AlertChannelDefinition definition, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Type != AlertChannelType.Webhook || definition.Url is null)
            throw new ArgumentException($"channel '{definition.Name}' is not a webhook with a URL", nameof(definition));
        _definition = definition;
        _http = http;
        _time = time;
    }

    public string Name => _definition.Name;

    public async Task<DeliveryResult> SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var body = _definition.Format == WebhookFormat.Slack
            ? SlackMessage.Render(alert)
            : JsonSerializer.SerializeToUtf8Bytes(alert, AlertJsonContext.Default.Alert);
        using var request = new HttpRequestMessage(HttpMethod.Post, _definition.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (alert.DedupeKey.All(c => c is >= ' ' and <= '~'))
            request.Headers.TryAddWithoutValidation("Idempotency-Key", alert.DedupeKey);

        using var timeout = new CancellationTokenSource(_definition.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
                return DeliveryResult.Success;
            var error = $"HTTP {status} {response.ReasonPhrase}";
            return status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                ? DeliveryResult.Retry(error)
                : DeliveryResult.Refused(error);
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Retry(e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Retry($"no answer within {_definition.Timeout.TotalSeconds:0.###} s");
        }
    }
}
