namespace Amlfs.Yaml;

/// <summary>One problem in a YAML settings file: its 1-based line, the key's path (<c>rules[2].threshold</c>), and why.</summary>
internal sealed record YamlProblem(int Line, string Path, string Message);
