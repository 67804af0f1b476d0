namespace Amlfs.Cli.LoadTest;

/// <summary>One connection of a worker, with its send schedule and the place in the request pool it starts at.</summary>
internal readonly record struct ScheduledConnection(ILoadConnection Connection, SendSchedule Schedule, int FirstRequest);
