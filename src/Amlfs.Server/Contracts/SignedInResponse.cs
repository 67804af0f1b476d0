namespace Amlfs.Server.Contracts;

/// <summary>Who a request is authenticated as (<c>GET /auth/me</c>, and the answer to a sign-in).</summary>
/// <param name="Name">The key's name.</param>
/// <param name="Role">The key's role: ingest, score, analyst or admin.</param>
/// <param name="AuthOff">True when the server checks no key (<c>--auth off</c>): everyone may do everything.</param>
public sealed record SignedInResponse(string Name, string Role, bool AuthOff);
