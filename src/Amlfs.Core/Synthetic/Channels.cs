namespace Amlfs.Synthetic;

/// <summary>
/// The Brazilian payment channels of synthetic transactions. The payment format follows from the channel: pix is
/// <c>instant</c>, card is <c>credit</c> or <c>debit</c>, boleto is <c>bank_slip</c> and ted is <c>wire</c>.
/// </summary>
public static class Channels
{
    /// <summary>Instant payment (Banco Central's PIX).</summary>
    public const string Pix = "pix";

    /// <summary>Credit or debit card.</summary>
    public const string Card = "card";

    /// <summary>Bank slip paid by its bar code.</summary>
    public const string Boleto = "boleto";

    /// <summary>Same-day wire transfer (Transferência Eletrônica Disponível).</summary>
    public const string Ted = "ted";

    public static IReadOnlyList<string> All { get; } = [Pix, Card, Boleto, Ted];
}
