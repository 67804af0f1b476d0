using Microsoft.Win32.SafeHandles;
using Parquet;
using Parquet.Meta;
using Parquet.Schema;
using ParquetType = Parquet.Meta.Type;

namespace Amlfs.Parquet.Training;

/// <summary>
/// The columns of one row group of one file, as the offline history reader needs them: decoded from their pages
/// (<see cref="ColumnChunkPages"/>) when the chunk's codec, encodings and types allow, else read through Parquet.Net,
/// to the same values either way. Text comes as UTF-8 batches, amounts as cents, times as UTC milliseconds. Errors
/// name the column, not the file: the caller adds it.
/// </summary>
internal sealed class RowGroupColumns : IAsyncDisposable
{
    private readonly FileMetaData _metadata;
    private readonly int _group;
    private readonly SafeFileHandle _handle;
    private readonly TextValues _text;
    private ParquetReader? _reader;
    private ParquetRowGroupReader? _rowGroup;
    private Dictionary<string, DataField>? _fields;

    /// <param name="file">The Parquet file.</param>
    /// <param name="metadata">Its footer, read once for all its row groups.</param>
    /// <param name="group">The row group.</param>
    /// <param name="text">The buffers of text batches, reused from row group to row group.</param>
    public RowGroupColumns(string file, FileMetaData metadata, int group, TextValues text)
    {
        _metadata = metadata;
        _group = group;
        _text = text;
        Rows = checked((int)metadata.RowGroups[group].NumRows);
        _handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        Path = file;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Rows of the row group.</summary>
    public int Rows { get; }

    /// <summary>Whether the file has a column of that name.</summary>
    public bool Has(string column) => Element(column) is not null;

    /// <summary>A text column, batch by batch: the first row of each batch and its values.</summary>
    public async Task ReadTextAsync(string column, Action<int, TextValues> batch, CancellationToken cancellationToken)
    {
        if (TryDecode(column, ParquetType.BYTE_ARRAY, pages =>
        {
            var row = 0;
            while (pages.MoveNext())
            {
                if (row + pages.Count > Rows)
                    throw new InvalidDataException($"column '{column}' holds more values than its row group has rows");
                _text.Fill(pages);
                batch(row, _text);
                row += pages.Count;
            }

            if (row != Rows)
                throw new InvalidDataException($"column '{column}' holds {row} values in a row group of {Rows} rows");
        }))
        {
            return;
        }

        var (group, field) = await ParquetNetAsync(column, cancellationToken).ConfigureAwait(false);
        // As the bytes stored, UTF-8; Parquet.Net reads only fields attached to a schema.
        var bytes = new DataField<byte[]>(field.Name, field.IsNullable);
        _ = new ParquetSchema(bytes);
        var values = new ReadOnlyMemory<byte>?[Rows];
        await group.ReadAsync<ReadOnlyMemory<byte>>(bytes, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        _text.Fill(values);
        batch(0, _text);
    }

    /// <summary>A boolean column, nulls included.</summary>
    public async Task ReadBooleansAsync(string column, Memory<bool?> target, CancellationToken cancellationToken)
    {
        if (TryDecode(column, ParquetType.BOOLEAN, pages => ColumnChunkValues.ReadBooleans(pages, target.Span, column)))
            return;
        var (group, field) = await ParquetNetAsync(column, cancellationToken).ConfigureAwait(false);
        if (field.IsNullable)
        {
            await group.ReadAsync<bool>(field, target, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var required = await TransactionParquetReader.ValuesAsync<bool>(group, field, Rows, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < Rows; i++)
            target.Span[i] = required[i];
    }

    /// <summary>A decimal column of amounts, in cents; none may be null or finer than a cent.</summary>
    public async Task ReadCentsAsync(string column, Memory<long> target, CancellationToken cancellationToken)
    {
        // decimal(p, 2) stored as INT64 holds the cents themselves.
        var element = Element(column);
        var cents = element is { } e && (e.LogicalType?.DECIMAL?.Scale ?? (e.ConvertedType == ConvertedType.DECIMAL ? e.Scale : null)) == 2;
        if (cents && TryDecode(column, ParquetType.INT64, pages => ColumnChunkValues.ReadInt64(pages, target.Span, column)))
            return;

        var (group, field) = await ParquetNetAsync(column, cancellationToken).ConfigureAwait(false);
        var amounts = await TransactionParquetReader.ValuesAsync<decimal>(group, field, Rows, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < Rows; i++)
        {
            var value = amounts[i] * 100m;
            target.Span[i] = value == decimal.Truncate(value)
                ? (long)value
                : throw new InvalidDataException($"amount {amounts[i]} has more than 2 decimal places");
        }
    }

    /// <summary>A timestamp column, in UTC milliseconds since the epoch; none may be null.</summary>
    public async Task ReadTimesAsync(string column, Memory<long> target, CancellationToken cancellationToken)
    {
        // UTC instants in milliseconds stored as INT64 are the milliseconds themselves.
        var millis = Element(column)?.LogicalType?.TIMESTAMP is { IsAdjustedToUTC: true, Unit.MILLIS: not null };
        if (millis && TryDecode(column, ParquetType.INT64, pages => ColumnChunkValues.ReadInt64(pages, target.Span, column)))
            return;

        var (group, field) = await ParquetNetAsync(column, cancellationToken).ConfigureAwait(false);
        var timestamps = await TransactionParquetReader.ValuesAsync<DateTime>(group, field, Rows, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < Rows; i++)
        {
            var t = timestamps[i].Kind == DateTimeKind.Local ? timestamps[i].ToUniversalTime() : timestamps[i];
            target.Span[i] = (t.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _handle.Dispose();
        _rowGroup?.Dispose();
        if (_reader is not null)
            await _reader.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes a flat column of physical type <paramref name="type"/> from its pages through <paramref name="decode"/>;
    /// false when the chunk is not one <see cref="ColumnChunkPages"/> understands, and the caller reads it through
    /// Parquet.Net (again from the start: decode may have filled part of its output).
    /// </summary>
    private bool TryDecode(string column, ParquetType type, Action<ColumnChunkPages> decode)
    {
        if (Element(column) is not { } element || element.Type != type || element.RepetitionType == FieldRepetitionType.REPEATED)
            return false;
        var chunk = _metadata.RowGroups[_group].Columns
            .FirstOrDefault(c => c.MetaData is { PathInSchema: [var name] } && name == column)?.MetaData;
        if (chunk is null || chunk.Type != type)
            return false;
        using var pages = ColumnChunkPages.TryOpen(_handle, chunk, element.RepetitionType == FieldRepetitionType.OPTIONAL);
        if (pages is null)
            return false;
        try
        {
            decode(pages);
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The schema element of a top-level column, or null when the file has none of that name.</summary>
    private SchemaElement? Element(string column)
    {
        var schema = _metadata.Schema;
        // A flat schema: the root, then one element per column.
        for (var i = 1; i < schema.Count; i++)
        {
            if (schema[i].Name == column && (schema[i].NumChildren ?? 0) == 0)
                return schema[i];
        }

        return null;
    }

    private async Task<(ParquetRowGroupReader Group, DataField Field)> ParquetNetAsync(string column, CancellationToken cancellationToken)
    {
        if (_rowGroup is null)
        {
            _reader = await ParquetReader.CreateAsync(Path, cancellationToken: cancellationToken).ConfigureAwait(false);
            _fields = _reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            _rowGroup = _reader.OpenRowGroupReader(_group);
        }

        return (_rowGroup, _fields!.GetValueOrDefault(column) ?? throw new InvalidDataException($"missing column '{column}'"));
    }
}
