using System.Security.Cryptography;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The dashboard's static files (HTML, CSS, JavaScript, the vendored chart library and its licence), embedded in this
/// assembly under <c>dashboard/</c> and read once: nothing is fetched from a network or a CDN. Each is served with a
/// strong ETag; the page and the dashboard's own files revalidate on every load (<c>no-cache</c>, answered 304 while
/// unchanged), the vendored library, whose path names its version, is cached for a year.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[Prefix.Length..];
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"";
            _assets[path] = new Asset(bytes, ContentType(path), etag, path.StartsWith("vendor/", StringComparison.Ordinal));
        }
    }

    /// <summary>The files held, by path under <c>dashboard/</c>.</summary>
    public IReadOnlyCollection<string> Paths => _assets.Keys;

    /// <summary>Serves <paramref name="path"/>: 200 with the file, 304 when the client holds it, 404 for no such file.</summary>
    public IResult Serve(HttpContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_assets.TryGetValue(path, out var asset))
            return TypedResults.NotFound();
        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = asset.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == asset.ETag)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag, bool Immutable);
}
