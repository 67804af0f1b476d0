using Amlfs.Engine;
using Amlfs.Registry;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// The topics of a distributed deployment, derived from the definitions: the source topic, keyed by
/// <c>customer_id</c>, holds the state of the entities joined on the customer; each other join key (the merchant's)
/// gets a re-keyed topic <c>{source}.by-{entity}</c> that workers fill from the source, so that every entity's
/// transactions meet in one partition; and <c>{source}.dead-letter</c> takes what is rejected.
/// </summary>
public sealed class WorkerTopics
{
    private WorkerTopics(string source, IReadOnlyList<TopicRole> roles, string deadLetter)
    {
        Source = source;
        Roles = roles;
        DeadLetter = deadLetter;
    }

    /// <summary>The topic producers publish to, keyed by customer.</summary>
    public string Source { get; }

    /// <summary>Every topic workers consume, the source first.</summary>
    public IReadOnlyList<TopicRole> Roles { get; }

    /// <summary>Where malformed, late and future messages go, each with its reason.</summary>
    public string DeadLetter { get; }

    /// <summary>The role of <paramref name="topic"/>, or null when workers do not consume it.</summary>
    public TopicRole? RoleOf(string topic) => Roles.FirstOrDefault(r => r.Topic == topic);

    /// <summary>The topics of <paramref name="plan"/>'s entities around <paramref name="source"/>.</summary>
    /// <exception cref="NotSupportedException">An entity receives inflows, which workers do not route yet.</exception>
    public static WorkerTopics For(FeaturePlan plan, string source, string? deadLetter = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (plan.Entities.FirstOrDefault(e => e.Definition.Inflows) is { } account)
        {
            // A transfer would have to reach the receiving account's partition as well as the sender's.
            throw new NotSupportedException(
                $"entity '{account.Name}' receives inflows (inflows: true), which Kafka workers do not route to the receiving account yet; " +
                "serve these definitions embedded, or declare the entity without inflows");
        }

        var roles = new List<TopicRole>();
        foreach (var group in plan.Entities.GroupBy(e => e.JoinKey).OrderBy(g => g.Key == TransactionField.CustomerId ? 0 : 1))
        {
            var isSource = group.Key == TransactionField.CustomerId;
            var topic = isSource ? source : $"{source}.by-{group.First().Name}";
            roles.Add(new TopicRole(topic, group.Key, [.. group], isSource));
        }

        if (roles.Count == 0 || !roles[0].IsSource)
            roles.Insert(0, new TopicRole(source, TransactionField.CustomerId, [], IsSource: true));
        return new WorkerTopics(source, roles, deadLetter ?? $"{source}.dead-letter");
    }

    /// <summary>A one-line description: each topic and the entities it holds.</summary>
    public override string ToString() => string.Join(", ", Roles.Select(r =>
        $"{r.Topic} (keyed by {FieldNames.Name(r.Key)}: {(r.Entities.Count == 0 ? "re-keying only" : string.Join(", ", r.Entities.Select(e => e.Name)))})"));
}
