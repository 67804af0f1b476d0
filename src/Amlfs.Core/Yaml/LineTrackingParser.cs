using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Amlfs.Yaml;

/// <summary>
/// A YAML parser that remembers the line of the last event it read. YamlDotNet's scanner throws a bare
/// <see cref="InvalidOperationException"/>, without a position, on some malformed flow collections (an unclosed
/// <c>[</c> or <c>{</c>); the last line read is then the best position an error message can name.
/// </summary>
internal sealed class LineTrackingParser(IParser inner) : IParser
{
    public int Line { get; private set; } = 1;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (inner.Current is { } current)
            Line = (int)current.Start.Line;
        return moved;
    }
}
