namespace Amlfs.Synthetic;

/// <summary>A synthetic merchant or counterparty.</summary>
public sealed record MerchantProfile
{
    /// <summary><c>MERCH_00001</c> onwards.</summary>
    public required string MerchantId { get; init; }

    public required string Name { get; init; }

    /// <summary>One of <see cref="MerchantCategories.All"/>.</summary>
    public required string Category { get; init; }

    public required string City { get; init; }

    /// <summary>ISO 3166-1 alpha-2 code; some gambling and crypto merchants are offshore.</summary>
    public required string Country { get; init; }

    /// <summary>Relative share of the population's non-habitual payments that this merchant attracts.</summary>
    public required double Popularity { get; init; }
}
