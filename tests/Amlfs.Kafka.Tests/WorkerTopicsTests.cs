using Amlfs.Engine;
using Amlfs.Kafka.Workers;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Kafka.Tests;

public sealed class WorkerTopicsTests
{
    [Fact]
    public void The_default_definitions_keep_the_source_topic_and_one_re_keyed_topic_for_merchants()
    {
        var topics = WorkerTopics.For(FeaturePlan.Compile(TestEngines.Default), "transactions");

        Assert.Equal(["transactions", "transactions.by-merchant"], topics.Roles.Select(r => r.Topic));
    }

    [Fact]
    public void Definitions_with_an_account_receiving_inflows_are_refused_with_the_entity_named()
    {
        var definition = TestEngines.Default with
        {
            Entities = [.. TestEngines.Default.Entities.Select(e => e.JoinKey == TransactionField.CustomerId ? e with { Inflows = true } : e)],
        };

        var e = Assert.Throws<NotSupportedException>(() => WorkerTopics.For(FeaturePlan.Compile(definition), "transactions"));

        Assert.Contains("entity 'customer' receives inflows", e.Message, StringComparison.Ordinal);
    }
}
