using System.Text;

namespace Amlfs.Testing;

/// <summary>One request as <see cref="FakeAmlfsServer"/> received it.</summary>
public sealed record FakeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Connection)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
