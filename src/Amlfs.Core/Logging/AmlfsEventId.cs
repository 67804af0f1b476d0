namespace Amlfs.Logging;

/// <summary>
/// The event id of every log message the system writes, one named id per message, in a range of its own per area, so
/// that an operator can filter or alert on an id and a new message never takes an id another area uses. Ids are
/// stable: a message that goes away leaves its id unused rather than handing it to another.
/// </summary>
/// <remarks>
/// Ranges: 1000-1099 the embedded store (write-ahead log, snapshots, recovery); 1100-1199 ingest; 1200-1299 serving
/// from an online store; 1300-1399 risk models; 2000-2099 Kafka workers; 3000-3099 synthetic traffic; 3100-3199 the feature log; 3200-3299
/// streaming decisions; 3300-3399 alerts; 3400-3499 the audit trail; 3500-3599 cases and their labels; 3600-3699 retention; 4000-4099 the offline store; 5000-5099 server hosting; 5100-5199 the dashboard.
/// </remarks>
public static class AmlfsEventId
{
    // The embedded store, 1000-1099

    /// <summary>A torn tail was cut off the write-ahead log at open.</summary>
    public const int LogTailCut = 1001;

    /// <summary>A snapshot was skipped at recovery (damaged, other definitions, or not matching the log).</summary>
    public const int SnapshotSkipped = 1002;

    /// <summary>A snapshot was restored at recovery.</summary>
    public const int SnapshotRestored = 1003;

    /// <summary>Recovery rebuilds from the log alone, which retention has already shortened.</summary>
    public const int RebuildingFromShortenedLog = 1004;

    /// <summary>Recovery progress, every million records replayed.</summary>
    public const int ReplayProgress = 1005;

    /// <summary>A record of the log was not accepted again on replay.</summary>
    public const int ReplayNotAccepted = 1006;

    /// <summary>Recovery finished.</summary>
    public const int Recovered = 1007;

    /// <summary>A snapshot was written and retention applied.</summary>
    public const int SnapshotWritten = 1008;

    // Ingest, 1100-1199

    /// <summary>Writing the write-ahead log failed; ingest stops until restart.</summary>
    public const int LogWriteFailed = 1101;

    /// <summary>Writing a periodic snapshot failed.</summary>
    public const int SnapshotFailed = 1102;

    /// <summary>The final snapshot at a clean stop could not be written.</summary>
    public const int FinalSnapshotFailed = 1103;

    // Serving from an online store, 1200-1299

    /// <summary>Feature reads answer 503 until the online store is back.</summary>
    public const int OnlineStoreUnavailable = 1201;

    /// <summary>The online store answers again.</summary>
    public const int OnlineStoreAvailableAgain = 1202;

    // Kafka workers, 2000-2099

    /// <summary>A worker joined its group.</summary>
    public const int WorkerStarted = 2001;

    /// <summary>Partitions were assigned to a worker.</summary>
    public const int PartitionsAssigned = 2002;

    /// <summary>Partitions were revoked from (or lost by) a worker.</summary>
    public const int PartitionsRevoked = 2003;

    /// <summary>A partition was restored from its checkpoint.</summary>
    public const int PartitionRestored = 2004;

    /// <summary>A checkpoint was written for other definitions; the partition is rebuilt.</summary>
    public const int CheckpointOtherLayout = 2005;

    /// <summary>A checkpoint is corrupt; the partition is rebuilt.</summary>
    public const int CheckpointCorrupt = 2006;

    /// <summary>A checkpoint could not be saved (read failures have <see cref="CheckpointReadFailed"/>).</summary>
    public const int CheckpointFailed = 2007;

    /// <summary>The online store is unavailable to a worker, which consumes on.</summary>
    public const int WorkerStoreUnavailable = 2008;

    /// <summary>The online store is back for a worker.</summary>
    public const int WorkerStoreBack = 2009;

    /// <summary>A Kafka client error (throttled).</summary>
    public const int KafkaError = 2010;

    /// <summary>A worker stopped.</summary>
    public const int WorkerStopped = 2011;

    /// <summary>An offset could not be stored for the background commit.</summary>
    public const int OffsetNotStored = 2012;

    /// <summary>A worker could not leave its group in time.</summary>
    public const int GroupLeaveTimedOut = 2013;

    /// <summary>The checkpoint of a partition just assigned could not be read; the worker retries for a minute.</summary>
    public const int CheckpointReadFailed = 2014;

    /// <summary>The online store refused entity states as older than the ones it holds (debug: counted, not an error).</summary>
    public const int StaleStatesRefused = 2015;

    /// <summary>The online store could not give an ownership epoch for partitions just assigned; the worker retries for a minute.</summary>
    public const int EpochRetry = 2016;

    /// <summary>A worker could not decide its transactions because the features could not be read; it tries again.</summary>
    public const int WorkerDecisionsWaiting = 2017;

    /// <summary>A worker decides again after its features could not be read.</summary>
    public const int WorkerDecisionsBack = 2018;

    /// <summary>A decisions reader could not read a message (throttled): not a decision (skipped), or a Kafka error.</summary>
    public const int DecisionMessageUnreadable = 2019;

    /// <summary>A decisions reader assigned itself the decisions topic's partitions.</summary>
    public const int DecisionTopicFollowed = 2020;

    // Risk models, 1300-1399

    /// <summary>A model version became the one that scores (or the rules did).</summary>
    public const int ModelActivated = 1301;

    /// <summary>The active model version could not be loaded; the previous one (or the rules) keeps scoring.</summary>
    public const int ModelLoadFailed = 1302;

    // Synthetic traffic, 3000-3099

    /// <summary>The in-process synthetic producer started.</summary>
    public const int ProducerStarted = 3001;

    /// <summary>The in-process synthetic producer stopped because ingest is unavailable.</summary>
    public const int ProducerFailed = 3002;

    // The feature log, 3100-3199

    /// <summary>Writing vectors to the feature log failed; they are counted as dropped.</summary>
    public const int FeatureLogWriteFailed = 3101;

    // Alerts, 3300-3399

    /// <summary>The alert outbox was read at start: alerts kept, deliveries still to make.</summary>
    public const int AlertOutboxRecovered = 3301;

    /// <summary>A torn tail was cut off the alert outbox at open.</summary>
    public const int AlertOutboxTailCut = 3302;

    /// <summary>Writing the alert outbox failed; the alerts or outcomes concerned are not durable.</summary>
    public const int AlertOutboxWriteFailed = 3303;

    /// <summary>An attempt to deliver an alert failed; another is due after a back-off (debug).</summary>
    public const int AlertDeliveryRetry = 3304;

    /// <summary>An alert's delivery to a channel was given up.</summary>
    public const int AlertDeliveryFailed = 3305;

    /// <summary>An alert of the outbox names a channel the alerts file no longer declares; its delivery there is given up.</summary>
    public const int AlertChannelGone = 3306;

    /// <summary>An alert was raised (debug: alerts are counted per rule).</summary>
    public const int AlertRaised = 3307;

    /// <summary>The background delivery loop failed unexpectedly and starts again.</summary>
    public const int AlertDeliveryLoopFailed = 3308;

    /// <summary>The server's alert queue was full and decisions went unevaluated (logged once per process).</summary>
    public const int AlertDecisionsDropped = 3309;

    // The audit trail, 3400-3499

    /// <summary>A torn last line of the audit trail (a crash during an append) was moved aside into a <c>.torn</c> file.</summary>
    public const int AuditTornTailMovedAside = 3401;

    /// <summary>An action that cannot be undone (an alert raised) could not be recorded in the audit trail.</summary>
    public const int AuditRecordFailed = 3402;

    // The offline store, 4000-4099

    /// <summary>Log records were rolled into the offline store.</summary>
    public const int LogRolled = 4001;

    /// <summary>Rolling the log into the offline store failed; the next roll tries again.</summary>
    public const int LogRollFailed = 4002;

    /// <summary>The roll found a batch of an earlier roll torn by a crash and deleted it; the batch rolls again from the log.</summary>
    public const int RollRepaired = 4003;

    /// <summary>The roll found an incomplete batch of an earlier roll whose records the log no longer holds, and kept it.</summary>
    public const int RollIncompleteBatchKept = 4004;

    // Streaming decisions, 3200-3299

    /// <summary>Rolling the decision log into the offline store failed; the next sealed segment tries again.</summary>
    public const int DecisionLogRollFailed = 3201;

    /// <summary>Scoring a batch of streamed transactions failed; the decision stream stops until restart.</summary>
    public const int DecisionStreamFailed = 3202;

    /// <summary>A torn tail was cut off the decision log at open; those transactions are decided again.</summary>
    public const int DecisionLogTailCut = 3203;

    /// <summary>The write-ahead log no longer holds records that were never decided; streaming decisions stay off.</summary>
    public const int DecisionsCannotCatchUp = 3204;

    /// <summary>Decisions were rolled into the offline store's decisions table.</summary>
    public const int DecisionLogRolled = 3205;

    /// <summary>A lookup of a decision by transaction id could not read the decision log or the decisions table.</summary>
    public const int DecisionLookupFailed = 3206;

    // The dashboard, 5100-5199

    /// <summary>One second's overview sample could not be taken; the next second tries again.</summary>
    public const int DashboardSampleFailed = 5101;

    /// <summary>A decision's explanation could not be recomputed on demand; the page says so.</summary>
    public const int DashboardExplainFailed = 5102;

    // Cases and their labels, 3500-3599

    /// <summary>The case log was replayed at start (a torn tail, when one was cut, is in the message).</summary>
    public const int CasesRecovered = 3501;

    /// <summary>An alert opened a case for its entity.</summary>
    public const int CaseOpened = 3502;

    /// <summary>An alert could not be filed into a case (the case log could not be written).</summary>
    public const int CaseFilingFailed = 3503;

    /// <summary>A closed case's labels were written to the label table.</summary>
    public const int CaseLabelsWritten = 3504;

    /// <summary>A closed case's labels could not be written; they are written again at the next start.</summary>
    public const int CaseLabelsFailed = 3505;

    // Retention, 3600-3699

    /// <summary>A retention sweep deleted day partitions or files older than their store's period.</summary>
    public const int RetentionSwept = 3601;

    /// <summary>A retention sweep failed; the next one tries again.</summary>
    public const int RetentionSweepFailed = 3602;
}
