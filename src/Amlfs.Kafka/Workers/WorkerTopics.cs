using Amlfs.Engine;
using Amlfs.Registry;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// The topics of a distributed deployment, derived from the definitions: the source topic, keyed by
/// <c>customer_id</c>, holds the state of the entities joined on the customer; each other join key (the merchant's)
/// gets a re-keyed topic <c>{source}.by-{entity}</c> that workers fill from the source, so that every entity's
/// transactions meet in one partition; <c>{source}.dead-letter</c> takes what is rejected, and <c>{source}.decisions</c>
/// the decision about each accepted transaction. Each end of an edge is
/// hosted where its key's stream is: an account type with inflows keeps what it sends on the source topic and what it
/// receives on the topic keyed by <c>merchant_id</c> (a transfer re-keyed by its destination lands on the partition of
/// the receiving account's key), which is <c>{source}.by-destination</c> when no entity type is joined on
/// <c>merchant_id</c>.
/// </summary>
public sealed class WorkerTopics
{
    private WorkerTopics(string source, IReadOnlyList<TopicRole> roles, string deadLetter, string decisions)
    {
        Source = source;
        Roles = roles;
        DeadLetter = deadLetter;
        Decisions = decisions;
    }

    /// <summary>The decisions topic a deployment uses by default: <c>{source}.decisions</c>.</summary>
    public static string DecisionsOf(string source) => source + ".decisions";

    /// <summary>The topic producers publish to, keyed by customer.</summary>
    public string Source { get; }

    /// <summary>Every topic workers consume, the source first.</summary>
    public IReadOnlyList<TopicRole> Roles { get; }

    /// <summary>Where malformed, late and future messages go, each with its reason.</summary>
    public string DeadLetter { get; }

    /// <summary>Where workers that decide publish the decision about each transaction the source topic accepted.</summary>
    public string Decisions { get; }

    /// <summary>The role of <paramref name="topic"/>, or null when workers do not consume it.</summary>
    public TopicRole? RoleOf(string topic) => IndexOf(topic) is var i and >= 0 ? Roles[i] : null;

    /// <summary>The index in <see cref="Roles"/> of <paramref name="topic"/>'s role, or -1 when the worker does not consume it.</summary>
    public int IndexOf(string topic)
    {
        for (var i = 0; i < Roles.Count; i++)
        {
            if (Roles[i].Topic == topic)
                return i;
        }

        return -1;
    }

    /// <summary>The topics of <paramref name="plan"/>'s entities around <paramref name="source"/>.</summary>
    public static WorkerTopics For(FeaturePlan plan, string source, string? deadLetter = null, string? decisions = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var roles = new List<TopicRole>();
        foreach (var group in plan.Entities.GroupBy(e => e.JoinKey).OrderBy(g => g.Key == TransactionField.CustomerId ? 0 : 1))
        {
            var isSource = group.Key == TransactionField.CustomerId;
            var topic = isSource ? source : $"{source}.by-{group.First().Name}";
            roles.Add(new TopicRole(topic, group.Key, [.. group], isSource));
        }

        if (roles.Count == 0 || !roles[0].IsSource)
            roles.Insert(0, new TopicRole(source, TransactionField.CustomerId, [], IsSource: true));
        if (plan.Entities.Where(e => e.Definition.Inflows).ToArray() is { Length: > 0 } accounts)
        {
            var destination = roles.FindIndex(r => r.Key == TransactionField.MerchantId);
            if (destination < 0)
                roles.Add(new TopicRole($"{source}.by-destination", TransactionField.MerchantId, [], IsSource: false) { Inflows = accounts });
            else
                roles[destination] = roles[destination] with { Inflows = accounts };
        }

        return new WorkerTopics(source, roles, deadLetter ?? $"{source}.dead-letter", decisions ?? DecisionsOf(source));
    }

    /// <summary>A one-line description: each topic and what it hosts, e.g. <c>transactions (keyed by customer_id: customer outflows), transactions.by-merchant (keyed by merchant_id: merchant, customer inflows)</c>.</summary>
    public override string ToString() => string.Join(", ", Roles.Select(r => $"{r.Topic} (keyed by {FieldNames.Name(r.Key)}: {r.Describe()})"));
}
