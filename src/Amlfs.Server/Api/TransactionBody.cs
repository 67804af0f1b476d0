using System.Buffers;
using System.Text.Json;
using Amlfs.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amlfs.Server.Api;

/// <summary>
/// Reads a request body of transactions, one object or an array of them, with <see cref="TransactionJsonReader"/>,
/// the reader Kafka workers use too: every field of the wrong type is reported with its name, per transaction.
/// </summary>
internal static class TransactionBody
{
    /// <summary>The property of a transaction to score that asks to ingest it after scoring.</summary>
    public const string RecordProperty = "record";

    /// <summary>
    /// Reads <paramref name="body"/>. Returns null with a 400 problem when it is empty or not JSON; otherwise one item
    /// per transaction (one for a single object, whatever it holds), and whether the body was an array.
    /// </summary>
    /// <param name="body">The whole request body.</param>
    /// <param name="acceptRecord">Whether a transaction may carry <c>record</c> (scoring); elsewhere it is an unknown field, skipped.</param>
    /// <param name="isArray">Whether the body was an array.</param>
    /// <param name="problem">Why the body could not be read.</param>
    public static List<BodyTransaction>? Read(ReadOnlySequence<byte> body, bool acceptRecord, out bool isArray, out ValidationProblem? problem)
    {
        isArray = false;
        problem = null;
        if (JsonBody.FirstToken(body) == 0)
        {
            problem = Problems.Invalid("body", "is empty; send a JSON document");
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            reader.Read();
            var items = new List<BodyTransaction>();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                isArray = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadOne(ref reader, acceptRecord));
            }
            else
            {
                items.Add(ReadOne(ref reader, acceptRecord));
            }

            reader.Read(); // throws on anything but whitespace after the value
            return items;
        }
        catch (JsonException e)
        {
            problem = Problems.Invalid("body", $"is not valid JSON: {e.Message}");
            return null;
        }
    }

    private static BodyTransaction ReadOne(ref Utf8JsonReader reader, bool acceptRecord)
    {
        var errors = new List<FieldError>();
        var record = false;
        var input = TransactionJsonReader.Read(ref reader, errors, acceptRecord ? ReadRecord : null);
        return new BodyTransaction(input, errors, record);

        bool ReadRecord(string name, ref Utf8JsonReader value, List<FieldError> problems)
        {
            if (name != RecordProperty)
                return false;
            switch (value.TokenType)
            {
                case JsonTokenType.True:
                    record = true;
                    break;
                case JsonTokenType.False or JsonTokenType.Null:
                    break;
                default:
                    problems.Add(new(RecordProperty, "must be true or false"));
                    value.Skip();
                    break;
            }

            return true;
        }
    }
}
