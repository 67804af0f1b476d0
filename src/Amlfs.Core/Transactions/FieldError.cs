namespace Amlfs.Transactions;

/// <summary>One problem with one input field, named as the API and the files name it (snake_case).</summary>
public readonly record struct FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
