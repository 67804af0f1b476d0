namespace Amlfs.Registry.Expressions;

/// <summary>
/// Parsed expression of a derived or request feature. Durations are literals in milliseconds (<c>1m</c> = 60000);
/// an aggregation call such as <c>count(1h)</c> or <c>distinct_count(ip_address, 1h)</c> ends with a duration.
/// </summary>
public abstract record ExpressionSyntax(int Column);

/// <summary>A number; <see cref="IsDuration"/> when it carried a unit (ms, s, m, h, d) and is in milliseconds.</summary>
public sealed record NumberSyntax(double Value, bool IsDuration, int Column) : ExpressionSyntax(Column);

/// <summary>A feature name, <c>now</c>, or a request field such as <c>request.amount</c>.</summary>
public sealed record NameSyntax(string Name, int Column) : ExpressionSyntax(Column);

public sealed record UnarySyntax(char Operator, ExpressionSyntax Operand, int Column) : ExpressionSyntax(Column);

public sealed record BinarySyntax(char Operator, ExpressionSyntax Left, ExpressionSyntax Right, int Column)
    : ExpressionSyntax(Column);

/// <summary>A call: a math function (max, min, abs, sqrt) or an inline aggregation (its last argument a duration).</summary>
public sealed record CallSyntax(string Function, IReadOnlyList<ExpressionSyntax> Arguments, int Column)
    : ExpressionSyntax(Column);

/// <summary>The operator characters of the two-character comparisons in <see cref="BinarySyntax"/> (<c>&lt;</c> and <c>&gt;</c> are themselves).</summary>
public static class ComparisonOperators
{
    public const char LessOrEqual = '≤';
    public const char GreaterOrEqual = '≥';
    public const char Equal = '=';
    public const char NotEqual = '≠';

    /// <summary>Whether a binary operator compares (its value is 1 or 0).</summary>
    public static bool Compares(char op) => op is '<' or '>' or LessOrEqual or GreaterOrEqual or Equal or NotEqual;

    /// <summary>The comparison's value: 1 when it holds, else 0.</summary>
    public static double Apply(char op, double a, double b) => op switch
    {
        '<' => a < b ? 1 : 0,
        '>' => a > b ? 1 : 0,
        LessOrEqual => a <= b ? 1 : 0,
        GreaterOrEqual => a >= b ? 1 : 0,
        Equal => a == b ? 1 : 0,
        _ => a != b ? 1 : 0,
    };
}
