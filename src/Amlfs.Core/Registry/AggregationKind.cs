namespace Amlfs.Registry;

/// <summary>What an aggregation feature computes over the events of its window.</summary>
public enum AggregationKind
{
    /// <summary>Number of events.</summary>
    Count,

    /// <summary>Sum of amounts, exact in cents.</summary>
    Sum,

    /// <summary>Mean amount; 0 for an empty window.</summary>
    Avg,

    /// <summary>Smallest amount; 0 for an empty window.</summary>
    Min,

    /// <summary>Largest amount; 0 for an empty window.</summary>
    Max,

    /// <summary>Sample standard deviation of amounts; 0 below two events.</summary>
    StdDev,

    /// <summary>Exact number of distinct non-missing values of a field.</summary>
    DistinctCount,

    /// <summary>Time of the earliest event, in UTC milliseconds since the epoch; 0 for an empty window.</summary>
    FirstTime,

    /// <summary>Time of the latest event, in UTC milliseconds since the epoch; 0 for an empty window.</summary>
    LastTime,

    /// <summary>Shannon entropy, in bits, of the events' local hours of day (0 to log2 24); 0 for an empty window.</summary>
    HourEntropy,

    /// <summary>Share of the events whose local hour of day is the hour of the query time q; 0 for an empty window.</summary>
    HourShare,

    /// <summary>
    /// Coefficient of variation (sample standard deviation over mean) of the gaps between consecutive events; 0 below
    /// three events or when every gap is 0. Low is regular (scheduled transfers), high is bursty.
    /// </summary>
    IntervalCv,

    /// <summary>Least-squares slope of the amount over time, in currency units per hour; 0 below two distinct times.</summary>
    AmountTrend,

    /// <summary>Herfindahl index of the events' counts by a field's value (1 = one value only); 0 for an empty window.</summary>
    Concentration,

    /// <summary>Herfindahl index of the amounts by a field's value (1 = all money with one value); 0 for an empty window.</summary>
    AmountConcentration,

    /// <summary>
    /// Distinct non-missing values of a field in the window that no event of the lookback before the window had: new
    /// counterparties, new IP addresses, new devices.
    /// </summary>
    NewDistinctCount,

    /// <summary>
    /// Outflow transfers of the account in the window from which money returns to it along time-increasing transfers
    /// within the window, through at most <c>max_hops</c> edges (a bounded search over the neighbours' states).
    /// </summary>
    CycleCount,

    /// <summary>
    /// Outflow: the largest number, over destination accounts D, of distinct intermediate accounts M paid by the account
    /// and paying D later in the window. Inflow: the same with the account as D, over source accounts.
    /// </summary>
    ScatterGather,

    /// <summary>
    /// The account as a hub: the smaller of the distinct accounts that paid it and the distinct accounts it paid after
    /// the first of those payments, in the window.
    /// </summary>
    GatherScatter,

    /// <summary>Distinct accounts the account exchanged transfers with in the window (per direction); not normalised.</summary>
    Degree,

    /// <summary>
    /// Share of the pairs of the account's account neighbours (at most <c>max_neighbours</c>) that transferred money
    /// between themselves in the window: the local clustering coefficient of the undirected ego network.
    /// </summary>
    ClusteringCoefficient,

    /// <summary>
    /// Ego betweenness (Everett and Borgatti): over pairs of non-adjacent neighbours in the ego network, the sum of one
    /// over the number of two-paths between them.
    /// </summary>
    EgoBetweenness,

    /// <summary>
    /// Share of the window's events whose amount lies more than a threshold (<c>threshold_sd</c>, default 3) of sample
    /// standard deviations from the mean amount of the same events; 0 below two events or when every amount is equal.
    /// </summary>
    OutlierShare,

    /// <summary>
    /// A request feature: 1 when the request being scored has a value of the field (its counterparty, IP, device...)
    /// that none of the entity's events of the window had, else 0 (0 too when the request has no value). Windows are
    /// exact, up to 30 days.
    /// </summary>
    FirstSeen,

    /// <summary>
    /// A request feature: the time of the entity's latest event of the window with the request's value of the field,
    /// in UTC milliseconds since the epoch; 0 when none (or the request has no value). Windows are exact, up to 30 days.
    /// </summary>
    LastSeenTime,
}
