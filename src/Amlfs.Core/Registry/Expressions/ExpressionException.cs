namespace Amlfs.Registry.Expressions;

/// <summary>A syntax or binding error in an expression, at a 1-based column of its text.</summary>
public sealed class ExpressionException(string message, int column) : Exception(message)
{
    public int Column { get; } = column;
}
