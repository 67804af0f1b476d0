using System.CommandLine;
using System.Globalization;
using Amlfs.Audit;
using Amlfs.OnlineStore;
using Amlfs.Redis;
using Amlfs.Security;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs keys create|list|revoke</c>: the API keys of a data directory (<see cref="ApiKeyStore"/>, in
/// <c>DATA/keys/keys.json</c>), of a key file (<c>--keys-file</c>), or of the online store that API replicas share
/// (<c>--online-store</c>, <see cref="RedisApiKeyStore"/>). A server checking those keys takes a new or revoked one
/// within a second. A key is printed once, when it is created, and kept nowhere: the store holds its SHA-256.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("keys", "Create, list and revoke the API keys a server checks");

        var role = new Option<string>("--role") { Description = $"What the key may do: {ApiRoles.List}", Required = true, HelpName = "ROLE" };
        var name = new Option<string>("--name") { Description = "Who or what holds it, as logs, metrics and the audit trail name it", Required = true, HelpName = "NAME" };
        var create = new Command("create", "Create a key and print it (once: it is kept nowhere)") { role, name };
        var createWhere = Where.AddTo(create);
        create.SetAction((parse, cancellationToken) => WithStoreAsync(environment, parse, createWhere,
            store => Create(environment, parse.GetValue(createWhere.Data)!, store, parse.GetValue(role)!, parse.GetValue(name)!), cancellationToken));

        var list = new Command("list", "Every key: id, name, role, created, revoked (never the key)");
        var listWhere = Where.AddTo(list);
        list.SetAction((parse, cancellationToken) => WithStoreAsync(environment, parse, listWhere, store => List(environment, store), cancellationToken));

        var which = new Argument<string>("key") { Description = "The key's id or name" };
        var revoke = new Command("revoke", "Revoke a key: requests with it are refused within a second") { which };
        var revokeWhere = Where.AddTo(revoke);
        revoke.SetAction((parse, cancellationToken) => WithStoreAsync(environment, parse, revokeWhere,
            store => Revoke(environment, parse.GetValue(revokeWhere.Data)!, store, parse.GetValue(which)!), cancellationToken));

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

    /// <summary>
    /// Runs <paramref name="action"/> on the keys the options name: the shared store of <c>--online-store</c>, the key
    /// file of <c>--keys-file</c>, or the data directory's key file.
    /// </summary>
    private static async Task<int> WithStoreAsync(
        CliEnvironment environment, ParseResult parse, Where where, Func<IApiKeyStore, int> action, CancellationToken cancellationToken)
    {
        if (parse.GetResult(where.OnlineStore) is null)
        {
            var file = parse.GetValue(where.File) is { } keysFile ? environment.Resolve(keysFile) : ApiKeyStore.FileOf(environment.Resolve(parse.GetValue(where.Data)!));
            return action(new ApiKeyStore(file, environment.Clock));
        }

        if (parse.GetValue(where.File) is not null)
            return Fail(environment, "give --keys-file or --online-store, not both");
        if (OnlineStoreOption.Parse(parse.GetValue(where.OnlineStore), environment.Variables, out var error) is not { } options)
            return Fail(environment, error!);
        try
        {
            await using var store = await RedisApiKeyStore.ConnectAsync(options, environment.Clock, cancellationToken: cancellationToken);
            return action(store);
        }
        catch (OnlineStoreUnavailableException e)
        {
            return Fail(environment, e.Message);
        }
    }

    /// <summary>What the audit trail records of a key: its id, role and where it is kept, never the key.</summary>
    public static Dictionary<string, string?> AuditDetails(ApiKeyRecord key, string location) =>
        new(StringComparer.Ordinal) { ["id"] = key.Id, ["role"] = key.Role.Name(), ["file"] = location };

    private static int Create(CliEnvironment environment, string dataDirectory, IApiKeyStore store, string roleName, string name)
    {
        if (ApiRoles.Parse(roleName) is not { } role)
            return Fail(environment, $"--role: '{roleName}' is not one of {ApiRoles.List}");
        try
        {
            var created = store.Create(name, role);
            environment.Output.WriteLine(created.Key);
            environment.Error.WriteLine($"created key {created.Record.Id} '{name}' with role {role.Name()} in {store.Location}: the key above is shown once and kept nowhere");
            return Audited(environment, dataDirectory, AuditActions.KeyCreated, created.Record, store.Location);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Fail(environment, e.Message);
        }
    }

    private static int List(CliEnvironment environment, IApiKeyStore store)
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

    private static int Revoke(CliEnvironment environment, string dataDirectory, IApiKeyStore store, string which)
    {
        try
        {
            var revoked = store.Revoke(which);
            environment.Output.WriteLine($"revoked key {revoked.Id} '{revoked.Name}' ({revoked.Role.Name()})");
            return Audited(environment, dataDirectory, AuditActions.KeyRevoked, revoked, store.Location);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Fail(environment, e.Message);
        }
    }

    /// <summary>Records a key's creation or revocation in the data directory's audit trail; 1 when it could not be.</summary>
    private static int Audited(CliEnvironment environment, string dataDirectory, string action, ApiKeyRecord key, string location) =>
        CliAudit.Record(environment, environment.Resolve(dataDirectory), action, key.Name, AuditDetails(key, location)) is { } problem ? Fail(environment, problem) : 0;

    private static int Fail(CliEnvironment environment, string message)
    {
        environment.Error.WriteLine($"amlfs keys: {message}");
        return 1;
    }

    /// <summary>The options that say where a subcommand's keys are.</summary>
    private sealed record Where(Option<string> Data, Option<string?> File, Option<string?> OnlineStore)
    {
        public static Where AddTo(Command command)
        {
            var where = new Where(
                DataDirectoryOption.Create(),
                KeysFileOption(),
                OnlineStoreOption.Create("The keys API replicas share in the online store (serve --keys-in-store) instead of a key file"));
            command.Options.Add(where.Data);
            command.Options.Add(where.File);
            command.Options.Add(where.OnlineStore);
            return where;
        }
    }
}
