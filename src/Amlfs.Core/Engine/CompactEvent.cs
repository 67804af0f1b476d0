using System.Runtime.InteropServices;

namespace Amlfs.Engine;

/// <summary>
/// An event as an entity stores it: 16 bytes. Layout of <c>_packed</c> (bit 0 = least significant):
/// <code>
///  63    58 57       56     55   53 52      48 47 44 43                                   0
/// | unused | transfer | inflow | day   | hour     | 0   | event time, ms since the Unix epoch |
/// </code>
/// Day and hour are local to the registry's time zone, computed once at admission, so calendar filters cost a shift
/// and a mask at read time. The inflow bit marks a transfer the entity received as its destination account; the
/// transfer bit marks a transaction whose destination is an account (both ends of the edge are accounts), which graph
/// searches follow and payments to merchants they do not. 44 bits of milliseconds reach the year 2527; validation keeps
/// times below that.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct CompactEvent
{
    public const long MaxTimeMs = (1L << TimeBits) - 1;
    private const int TimeBits = 44;
    private const int HourShift = 48;
    private const int DayShift = 53;
    private const int InflowShift = 56;
    private const int TransferShift = 57;

    private readonly long _packed;
    private readonly long _amountCents;

    public CompactEvent(long timeMs, long amountCents, int localHour, DayOfWeek localDay, bool inflow = false, bool transfer = false)
    {
        _packed = timeMs | ((long)localHour << HourShift) | ((long)localDay << DayShift) | ((inflow ? 1L : 0L) << InflowShift)
            | ((transfer ? 1L : 0L) << TransferShift);
        _amountCents = amountCents;
    }

    public long TimeMs => _packed & MaxTimeMs;

    public long AmountCents => _amountCents;

    public int LocalHour => (int)((_packed >> HourShift) & 31);

    public DayOfWeek LocalDay => (DayOfWeek)((_packed >> DayShift) & 7);

    /// <summary>Whether the entity received this transfer as its destination account, rather than sent it.</summary>
    public bool IsInflow => ((_packed >> InflowShift) & 1) != 0;

    /// <summary>Whether the transaction went to an account: a transfer between two accounts, not a payment to a merchant.</summary>
    public bool IsTransfer => ((_packed >> TransferShift) & 1) != 0;

    /// <summary>This event as the destination account of its transfer receives it.</summary>
    public CompactEvent AsInflow() => new(TimeMs, AmountCents, LocalHour, LocalDay, inflow: true, transfer: true);
}
