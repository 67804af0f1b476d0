using System.CommandLine;
using System.Globalization;
using Amlfs.Audit;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs audit verify|export</c>: checks the hash chain of a data directory's audit trail (<see cref="AuditVerifier"/>)
/// and writes a period of its records as JSON lines, each as stored so that it still verifies on its own.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("audit", "Verify and export the hash-chained audit trail");

        var verifyData = DataDirectoryOption.Create();
        var expect = new Option<AuditAnchor[]>("--expect")
        {
            Description = "A record noted earlier (the last record a previous verify printed) that must still be there with that hash; repeatable",
            HelpName = "SEQ:HASH",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = ParseAnchors,
        };
        var verify = new Command("verify", "Check the chain; exit 1 naming the first broken record (file, line, sequence, reason) or an expected record missing or changed")
        {
            verifyData,
            expect,
        };
        verify.SetAction(parse => Verify(environment, parse.GetValue(verifyData)!, parse.GetValue(expect) ?? []));

        var exportData = DataDirectoryOption.Create();
        var from = PeriodOption.Create("--from", "First time exported (inclusive; default: the first record)");
        var to = PeriodOption.Create("--to", "End of the period (exclusive; default: no end)");
        var output = new Option<string?>("--output") { Description = "File to write (default: standard output)", HelpName = "FILE" };
        var export = new Command("export", "Write the records whose time is in [from, to) as JSON lines, as stored") { from, to, exportData, output };
        export.SetAction(parse => Export(environment, parse.GetValue(exportData)!, parse.GetValue(from), parse.GetValue(to), parse.GetValue(output)));

        command.Subcommands.Add(verify);
        command.Subcommands.Add(export);
        return command;
    }

    private static AuditAnchor[] ParseAnchors(System.CommandLine.Parsing.ArgumentResult result)
    {
        var anchors = new AuditAnchor[result.Tokens.Count];
        for (var i = 0; i < anchors.Length; i++)
        {
            var text = result.Tokens[i].Value;
            if (!AuditAnchor.TryParse(text, out anchors[i]))
            {
                result.AddError($"--expect: '{text}' is not SEQ:HASH, a record's sequence (from 1) and its 64 hex digit hash, as audit verify prints the last record");
                return [];
            }
        }

        return anchors;
    }

    /// <summary>
    /// Exit code 0 when the chain is intact and every expected record is in it with its hash (the count and the last
    /// record as <c>SEQ:HASH</c> on standard output, warnings on standard error); 1 when a record is broken, an
    /// expected record is missing or carries another hash (each named on standard error), or the trail cannot be read.
    /// </summary>
    private static int Verify(CliEnvironment environment, string dataDirectory, AuditAnchor[] expected)
    {
        AuditVerification result;
        try
        {
            result = AuditVerifier.Verify(environment.Resolve(dataDirectory), expected);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            environment.Error.WriteLine($"amlfs audit verify: {e.Message}");
            return 1;
        }

        foreach (var warning in result.Warnings)
            environment.Error.WriteLine($"amlfs audit verify: warning: {warning}");
        if (result.Break is { } broken)
        {
            var sequence = broken.Sequence is { } s ? s.ToString(CultureInfo.InvariantCulture) : "unreadable";
            environment.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"amlfs audit verify: broken at {broken.File} line {broken.Line} (sequence {sequence}): {broken.Reason}"));
            environment.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"amlfs audit verify: {result.Records} records intact before it{Last(result)}"));
        }

        foreach (var failure in result.AnchorFailures)
            environment.Error.WriteLine($"amlfs audit verify: expected {failure.Anchor}: {failure.Reason}");
        if (result.Break is not null)
            return 1;
        if (result.AnchorFailures.Count > 0)
        {
            environment.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"amlfs audit verify: the chain itself is intact: {result.Records} records{Last(result)}"));
            return 1;
        }

        environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit trail intact: {result.Records} records{Last(result)}"));
        if (expected.Length > 0)
            environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"expected records found: {string.Join(", ", expected.Distinct())}"));
        return 0;
    }

    // The last record in the form --expect takes, so that it can be copied as it is.
    private static string Last(AuditVerification result) => result.LastAnchor is { } last ? $", last record {last}" : "";

    /// <summary>Exit code 0 when the records were written; 1 when the period is empty or reversed, or the trail cannot be read.</summary>
    private static int Export(CliEnvironment environment, string dataDirectory, DateTimeOffset? from, DateTimeOffset? to, string? output)
    {
        if (from is { } f && to is { } t && t <= f)
        {
            environment.Error.WriteLine("amlfs audit export: --to must be after --from");
            return 1;
        }

        var root = environment.Resolve(dataDirectory);
        string? temporary = null;
        try
        {
            if (output is null)
            {
                _ = Write(environment.Output, root, from, to);
                return 0;
            }

            // Written under a temporary name and renamed, so that a failed export leaves no partial file behind.
            var path = environment.Resolve(output);
            temporary = path + ".tmp";
            long count;
            using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
                count = Write(writer, root, from, to);
            File.Move(temporary, path, overwrite: true);
            temporary = null;
            environment.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"amlfs audit export: {count} records written to {output}"));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            environment.Error.WriteLine($"amlfs audit export: {e.Message}");
            return 1;
        }
        finally
        {
            if (temporary is not null)
                File.Delete(temporary);
        }
    }

    private static long Write(TextWriter writer, string root, DateTimeOffset? from, DateTimeOffset? to)
    {
        long count = 0;
        foreach (var (_, line) in AuditReader.Records(root, from, to))
        {
            writer.Write(System.Text.Encoding.UTF8.GetString(line.Bytes.Span));
            writer.Write('\n');
            count++;
        }

        writer.Flush();
        return count;
    }
}
