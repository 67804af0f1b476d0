namespace Amlfs.Parquet.Import;

/// <summary>The rows of one AMLSim transactions file, which names the file and the field of the value in errors.</summary>
internal sealed record AmlsimTransfers(string FileName, string ValueField, IReadOnlyList<AmlsimTransfer> Rows);
