using System.Text.RegularExpressions;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

/// <summary>
/// The README's walk-through, run as a newcomer runs it: its commands, read from README.md itself, go to a real
/// <c>amlfs up</c> through bash, in a directory holding the repository's <c>features.yaml</c> and an <c>./amlfs</c>
/// that runs the built program. Every command must succeed, and where the README shows what a command prints (the
/// <c>#</c> lines after it, <c>...</c> standing for the rest) the output must match, so the front page stays true.
/// </summary>
[Trait("Category", "Process")]
public sealed partial class ReadmeWalkthroughTests : IDisposable
{
    private readonly CliHarness _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_readme_walkthrough_runs_against_a_real_server_and_prints_what_it_shows()
    {
        var root = RepositoryFiles.Root();
        var steps = ReadmeWalkthrough.Parse(File.ReadAllText(Path.Combine(root, "README.md")));
        _work.Write("features.yaml", File.ReadAllText(Path.Combine(root, "features.yaml")));
        var launcher = Path.Combine(_work.WorkingDirectory, _work.Write("amlfs", $"#!/usr/bin/env bash\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "amlfs.dll")}' \"$@\"\n"));
        if (!OperatingSystem.IsWindows()) // the walk-through is bash; the launcher must be executable
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // As a newcomer runs it: up checks keys by default and prints the admin key it made on its first start.
        using var server = await AmlfsProcess.StartCommandAsync("up", Path.Combine(_work.WorkingDirectory, "data"), "--auth", "on");
        await server.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(30));
        var key = FirstKey().Match(server.Output).Groups[1].Value;
        Assert.True(key.Length > 0, "up printed no key:\n" + server.Output);

        Assert.True(steps.Count >= 6, $"the walk-through should hold its five steps' commands, found {steps.Count}");
        Assert.Contains(steps, s => s.Script.Contains("curl", StringComparison.Ordinal) && s.Script.Contains("/predict", StringComparison.Ordinal));
        foreach (var step in steps)
        {
            var script = step.Script.Replace("localhost:8000", server.Address.Authority, StringComparison.Ordinal);
            var (exitCode, output, error) = _work.RunProgram("bash", "-c", $"set -euo pipefail\nexport AMLFS_API_KEY='{key}'\n{script}");
            Assert.True(exitCode == 0, $"exit code {exitCode} from:\n{script}\n{output}\n{error}\nserver:\n{server.Output}");
            if (step.Expected is { } expected)
                Assert.True(step.Matches(output), $"the README shows\n{expected}\nbut\n{script}\nprinted\n{output}");
        }
    }

    [Fact]
    public void A_command_followed_by_comment_lines_expects_them_as_its_output()
    {
        var steps = ReadmeWalkthrough.Parse("""
            # amlfs
            ## Walk-through

            1. **One.**

               ```bash
               echo '{"a":1,"b":2}'
               # {"a":1,...}
               cat > f <<'EOF'
                 x
               EOF
               ```

            ## Layout

            ```bash
            not a step
            ```
            """);

        Assert.Equal(2, steps.Count);
        Assert.Equal(("echo '{\"a\":1,\"b\":2}'", "{\"a\":1,...}"), (steps[0].Script, steps[0].Expected));
        Assert.True(steps[0].Matches("{\"a\":1,\"b\":2}\n"));
        Assert.False(steps[0].Matches("{\"a\":2}"));
        Assert.Equal(("cat > f <<'EOF'\n  x\nEOF", (string?)null), (steps[1].Script, steps[1].Expected));
    }

    [GeneratedRegex(@"Key\s+(amlfs_\S+)")]
    private static partial Regex FirstKey();

    /// <summary>The commands of the README's walk-through, each with the output the README shows for it, if any.</summary>
    private sealed partial record ReadmeWalkthrough(string Script, string? Expected)
    {
        /// <summary>
        /// The bash blocks of the <c>## Walk-through</c> section, split into steps: the lines up to a run of <c>#</c>
        /// lines are one script, and those lines are what it prints; lines after the last run form a step of their own.
        /// </summary>
        public static List<ReadmeWalkthrough> Parse(string readme)
        {
            var section = Section().Match(readme);
            if (!section.Success)
                throw new InvalidOperationException("README.md has no ## Walk-through section");
            var steps = new List<ReadmeWalkthrough>();
            foreach (Match block in Block().Matches(section.Groups["body"].Value))
            {
                var indent = block.Groups["indent"].Value.Length;
                var script = new List<string>();
                var expected = new List<string>();
                foreach (var raw in block.Groups["code"].Value.Split('\n'))
                {
                    var line = raw.Length >= indent ? raw[indent..] : raw.TrimStart();
                    if (line.StartsWith("# ", StringComparison.Ordinal) || line == "#")
                    {
                        expected.Add(line.Length > 2 ? line[2..].Trim() : "");
                        continue;
                    }

                    if (expected.Count > 0)
                        Flush();
                    if (line.Length > 0)
                        script.Add(line);
                }

                Flush();

                void Flush()
                {
                    if (script.Count > 0)
                        steps.Add(new ReadmeWalkthrough(string.Join('\n', script), expected.Count > 0 ? string.Concat(expected) : null));
                    script.Clear();
                    expected.Clear();
                }
            }

            return steps;
        }

        /// <summary>Whether <paramref name="output"/>, its lines joined, is what <see cref="Expected"/> shows.</summary>
        public bool Matches(string output)
        {
            if (Expected is null)
                return true;
            var pattern = string.Join(".*", Expected.Split("...").Select(Regex.Escape));
            var joined = string.Concat(output.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()));
            return Regex.IsMatch(joined, "^" + pattern + "$", RegexOptions.Singleline, TimeSpan.FromSeconds(5));
        }

        [GeneratedRegex(@"^## Walk-through\n(?<body>.*?)(?=^## )", RegexOptions.Singleline | RegexOptions.Multiline)]
        private static partial Regex Section();

        [GeneratedRegex(@"^(?<indent>[ ]*)```bash\n(?<code>.*?)\n[ ]*```", RegexOptions.Singleline | RegexOptions.Multiline)]
        private static partial Regex Block();
    }
}
