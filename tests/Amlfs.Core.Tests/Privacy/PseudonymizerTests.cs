using System.Security.Cryptography;
using Amlfs.Privacy;
using Amlfs.Security;
using Amlfs.Testing;

namespace Amlfs.Core.Tests.Privacy;

/// <summary>Pseudonyms are stable for one key, differ between keys and kinds, and the key file is made once.</summary>
public sealed class PseudonymizerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static Pseudonymizer WithKey(byte seed) => new(Enumerable.Repeat(seed, Pseudonymizer.KeyBytes).ToArray());

    [Fact]
    public void One_key_gives_one_pseudonym_per_value()
    {
        var first = WithKey(1);
        var second = WithKey(1);

        var ip = first.IpAddress("203.0.113.7");
        Assert.Equal(ip, second.IpAddress("203.0.113.7"));
        Assert.Equal(second.DeviceId("device-42"), first.DeviceId("device-42"));
        Assert.Matches("^ip_[0-9a-f]{32}$", ip);
        Assert.Matches("^dev_[0-9a-f]{32}$", first.DeviceId("device-42"));
        Assert.NotEqual(ip, first.IpAddress("203.0.113.8"));
    }

    [Fact]
    public void Another_key_gives_other_pseudonyms()
    {
        Assert.NotEqual(WithKey(1).IpAddress("203.0.113.7"), WithKey(2).IpAddress("203.0.113.7"));
        Assert.NotEqual(WithKey(1).DeviceId("device-42"), WithKey(2).DeviceId("device-42"));
    }

    [Fact]
    public void The_same_text_as_an_ip_and_as_a_device_gives_unrelated_hashes()
    {
        var pseudonyms = WithKey(1);

        Assert.NotEqual(pseudonyms.IpAddress("abc")![3..], pseudonyms.DeviceId("abc")![4..]);
    }

    [Fact]
    public void Missing_values_stay_missing()
    {
        var pseudonyms = WithKey(1);

        Assert.Null(pseudonyms.IpAddress(null));
        Assert.Equal("", pseudonyms.DeviceId(""));
    }

    [Fact]
    public void A_long_value_is_hashed_whole()
    {
        var pseudonyms = WithKey(1);
        var long1 = new string('a', 1000) + "1";
        var long2 = new string('a', 1000) + "2";

        Assert.NotEqual(pseudonyms.DeviceId(long1), pseudonyms.DeviceId(long2));
        Assert.Equal(pseudonyms.DeviceId(long1), WithKey(1).DeviceId(long1));
    }

    [Fact]
    public void The_key_file_is_made_once_and_read_again_after_a_restart()
    {
        var first = PseudonymKey.Resolve(_directory.Path, configured: null);
        var written = File.ReadAllText(PseudonymKey.FileOf(_directory.Path));
        var again = PseudonymKey.Resolve(_directory.Path, configured: null);

        Assert.Equal(first.IpAddress("198.51.100.1"), again.IpAddress("198.51.100.1"));
        Assert.Equal(written, File.ReadAllText(PseudonymKey.FileOf(_directory.Path)));
        Assert.Equal(Pseudonymizer.KeyBytes, Convert.FromBase64String(written.Trim()).Length);
        Assert.Equal(["pseudonym.key", "pseudonym.key.lock"], KeyDirectoryFiles(_directory.Path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PseudonymKey.FileOf(_directory.Path)));
    }

    [Fact]
    public void Threads_that_start_at_once_share_one_key()
    {
        // The race is short: it is run on fifty fresh data directories, eight threads each.
        const int Threads = 8;
        for (var round = 0; round < 50; round++)
        {
            var data = Path.Combine(_directory.Path, round.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var pseudonyms = new string?[Threads];
            using var start = new Barrier(Threads);
            var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                pseudonyms[i] = PseudonymKey.Resolve(data, configured: null).IpAddress("198.51.100.1");
            })).ToArray();
            foreach (var thread in threads)
                thread.Start();
            foreach (var thread in threads)
                thread.Join();

            Assert.Single(pseudonyms.Distinct());
            Assert.Equal(["pseudonym.key", "pseudonym.key.lock"], KeyDirectoryFiles(data));
        }
    }

    [Fact]
    public void A_configured_key_wins_over_the_key_file()
    {
        var key = RandomNumberGenerator.GetBytes(Pseudonymizer.KeyBytes);
        var fromFile = PseudonymKey.Resolve(_directory.Path, configured: null);

        var configured = PseudonymKey.Resolve(_directory.Path, Convert.ToBase64String(key));

        Assert.Equal(new Pseudonymizer(key).IpAddress("198.51.100.1"), configured.IpAddress("198.51.100.1"));
        Assert.NotEqual(fromFile.IpAddress("198.51.100.1"), configured.IpAddress("198.51.100.1"));
        Assert.Equal(PseudonymKey.EnvironmentVariable, configured.Source);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_bad_configured_key_is_refused_naming_the_setting(string configured)
    {
        var error = Assert.Throws<ArgumentException>(() => PseudonymKey.Resolve(_directory.Path, configured));

        Assert.StartsWith(PseudonymKey.EnvironmentVariable + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(configured, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The names in the key file's directory, sorted: the key and its lock, and no temporary file left over.</summary>
    private static string[] KeyDirectoryFiles(string dataDirectory) =>
        [.. Directory.GetFiles(Path.GetDirectoryName(PseudonymKey.FileOf(dataDirectory))!).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
