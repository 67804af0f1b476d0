using System.CommandLine;
using System.Globalization;
using Amlfs.Audit;
using Amlfs.Security;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs keys create|list|revoke</c>: the API keys of a data directory (<see cref="ApiKeyStore"/>, in
/// <c>DATA/keys/keys.json</c>) or of a key file (<c>--keys-file</c>, one that replicas share). A server running on that
/// directory or file takes a new or revoked key within a second. A key is printed once, when it is created, and kept
/// nowhere: the file holds its SHA-256.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("keys", "Create, list and revoke the API keys a server checks");

        var createData = DataDirectoryOption.Create();
        var createFile = KeysFileOption();
        var role = new Option<string>("--role") { Description = $"What the key may do: {ApiRoles.List}", Required = true, HelpName = "ROLE" };
        var name = new Option<string>("--name") { Description = "Who or what holds it, as logs, metrics and the audit trail name it", Required = true, HelpName = "NAME" };
        var create = new Command("create", "Create a key and print it (once: it is kept nowhere)") { role, name, createData, createFile };
        create.SetAction(parse => Create(environment, parse.GetValue(createData)!, StoreOf(environment, parse.GetValue(createData)!, parse.GetValue(createFile)),
            parse.GetValue(role)!, parse.GetValue(name)!));

        var listData = DataDirectoryOption.Create();
        var listFile = KeysFileOption();
        var list = new Command("list", "Every key: id, name, role, created, revoked (never the key)") { listData, listFile };
        list.SetAction(parse => List(environment, StoreOf(environment, parse.GetValue(listData)!, parse.GetValue(listFile))));

        var revokeData = DataDirectoryOption.Create();
        var revokeFile = KeysFileOption();
        var which = new Argument<string>("key") { Description = "The key's id or name" };
        var revoke = new Command("revoke", "Revoke a key: requests with it are refused within a second") { which, revokeData, revokeFile };
        revoke.SetAction(parse => Revoke(environment, parse.GetValue(revokeData)!, StoreOf(environment, parse.GetValue(revokeData)!, parse.GetValue(revokeFile)),
            parse.GetValue(which)!));

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }

    /// <summary>The <c>--keys-file</c> option: a key file other than the data directory's.</summary>
    public static Option<string?> KeysFileOption() => new("--keys-file")
    {
        Description = "A key file other than the data directory's (keys/keys.json), e.g. one that API replicas share",
        HelpName = "FILE",
    };

    private static ApiKeyStore StoreOf(CliEnvironment environment, string dataDirectory, string? keysFile) =>
        new(keysFile is not null ? environment.Resolve(keysFile) : ApiKeyStore.FileOf(environment.Resolve(dataDirectory)), environment.Clock);

    /// <summary>What the audit trail records of a key: its id, role and file, never the key.</summary>
    public static Dictionary<string, string?> AuditDetails(ApiKeyRecord key, string file) =>
        new(StringComparer.Ordinal) { ["id"] = key.Id, ["role"] = key.Role.Name(), ["file"] = file };

    private static int Create(CliEnvironment environment, string dataDirectory, ApiKeyStore store, string roleName, string name)
    {
        if (ApiRoles.Parse(roleName) is not { } role)
            return Fail(environment, $"--role: '{roleName}' is not one of {ApiRoles.List}");
        try
        {
            var created = store.Create(name, role);
            environment.Output.WriteLine(created.Key);
            environment.Error.WriteLine($"created key {created.Record.Id} '{name}' with role {role.Name()} in {store.File}: the key above is shown once and kept nowhere");
            return Audited(environment, dataDirectory, AuditActions.KeyCreated, created.Record, store.File);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Fail(environment, e.Message);
        }
    }

    private static int List(CliEnvironment environment, ApiKeyStore store)
    {
        try
        {
            var table = new Table().AddColumns("id", "name", "role", "created", "revoked");
            foreach (var key in store.List())
            {
                table.AddRow(key.Id, Markup.Escape(key.Name), key.Role.Name(), key.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    key.RevokedAt?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "");
            }

            environment.Console.Write(table);
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Fail(environment, e.Message);
        }
    }

    private static int Revoke(CliEnvironment environment, string dataDirectory, ApiKeyStore store, string which)
    {
        try
        {
            var revoked = store.Revoke(which);
            environment.Output.WriteLine($"revoked key {revoked.Id} '{revoked.Name}' ({revoked.Role.Name()})");
            return Audited(environment, dataDirectory, AuditActions.KeyRevoked, revoked, store.File);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Fail(environment, e.Message);
        }
    }

    /// <summary>Records a key's creation or revocation in the data directory's audit trail; 1 when it could not be.</summary>
    private static int Audited(CliEnvironment environment, string dataDirectory, string action, ApiKeyRecord key, string file) =>
        CliAudit.Record(environment, environment.Resolve(dataDirectory), action, key.Name, AuditDetails(key, file)) is { } problem ? Fail(environment, problem) : 0;

    private static int Fail(CliEnvironment environment, string message)
    {
        environment.Error.WriteLine($"amlfs keys: {message}");
        return 1;
    }
}
