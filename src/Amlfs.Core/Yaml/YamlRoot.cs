using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Amlfs.Yaml;

/// <summary>
/// The root mapping of a YAML settings file, or the one problem that stops reading it: malformed YAML (path
/// <c>yaml</c>, at the line of the error) or a root that is not a mapping (path <c>file</c>, line 1). Readers that place
/// every later problem by the <c>Start</c> line of its node report these two the same way.
/// </summary>
internal static class YamlRoot
{
    /// <param name="text">The file's text.</param>
    /// <param name="expected">What the root must be, for the message, such as "a YAML mapping of typology settings".</param>
    /// <param name="problem">When the result is null, where and why.</param>
    public static YamlMappingNode? Load(string text, string expected, out (int Line, string Path, string Message) problem)
    {
        var stream = new YamlStream();
        var parser = new LineTrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            problem = ((int)e.Start.Line, "yaml", e.InnerException?.Message ?? e.Message);
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some malformed flow collections such as an
            // unclosed "[3"; the last event read is the best line there is.
            problem = (parser.Line, "yaml", "malformed YAML, such as an unclosed [ or {");
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problem = (1, "file", "must be " + expected);
            return null;
        }

        problem = default;
        return root;
    }
}
