using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Amlfs.Server.Security;

/// <summary>
/// Dashboard sign-ins: a session id (in an HttpOnly, SameSite=Strict cookie) stands for the key signed in with, which
/// the session never holds; each session has a CSRF token that a state-changing request must echo in the
/// <c>X-CSRF-Token</c> header. Sessions live in this process's memory: a restart signs everyone out, and a request
/// whose key was revoked since finds its session no longer works.
/// </summary>
internal sealed class DashboardSessions(TimeProvider clock, AuthSettings settings)
{
    public const string Cookie = "amlfs_session";
    public const string CsrfCookie = "amlfs_csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Opens a session for the key with public id <paramref name="keyId"/>.</summary>
    public Session Open(string keyId)
    {
        Sweep();
        var session = new Session(Token(), keyId, Token()) { LastUsed = clock.GetUtcNow() };
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The session with <paramref name="id"/> if it was used within the idle time, marked used now; or null.</summary>
    public Session? Find(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session))
            return null;
        var now = clock.GetUtcNow();
        if (now - session.LastUsed > settings.SessionIdle)
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        session.LastUsed = now;
        return session;
    }

    public void Close(string? id)
    {
        if (id is not null)
            _sessions.TryRemove(id, out _);
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (now - session.LastUsed > settings.SessionIdle)
                _sessions.TryRemove(id, out _);
        }
    }

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    internal sealed record Session(string Id, string KeyId, string Csrf)
    {
        public DateTimeOffset LastUsed { get; set; }
    }
}
