using Amlfs.OfflineStore;
using Amlfs.Synthetic;
using Amlfs.Testing;

namespace Amlfs.Parquet.Tests;

public sealed class ProfileParquetTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Customers_and_merchants_read_back_unchanged()
    {
        var generator = new SyntheticGenerator(new SyntheticOptions { Customers = 500, Merchants = 50, Days = 1, Seed = 8 });
        var customersPath = DatasetLayout.CustomersPath(_directory.Path);
        var merchantsPath = DatasetLayout.MerchantsPath(_directory.Path);

        await ProfileParquetWriter.WriteCustomersAsync(customersPath, generator.Customers);
        await ProfileParquetWriter.WriteMerchantsAsync(merchantsPath, generator.Merchants);
        var customers = await ProfileParquetReader.ReadCustomersAsync(customersPath);
        var merchants = await ProfileParquetReader.ReadMerchantsAsync(merchantsPath);

        Assert.Equal(generator.Customers.Select(Describe), customers.Select(Describe));
        Assert.Equal(generator.Merchants, merchants);
        Assert.Contains(customers, c => c.HomeIps.Count == 3);
    }

    private static string Describe(CustomerProfile c) =>
        $"{c with { HomeIps = [], HabitualMerchants = [] }} {string.Join(',', c.HomeIps)} {string.Join(',', c.HabitualMerchants)}";
}
