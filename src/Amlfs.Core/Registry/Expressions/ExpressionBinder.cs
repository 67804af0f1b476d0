namespace Amlfs.Registry.Expressions;

/// <summary>Binds parsed expressions to value slots, checking every name, call and argument.</summary>
public static class ExpressionBinder
{
    /// <summary>Request fields an expression of a request feature may read.</summary>
    public const string RequestAmount = "request.amount";

    public static BoundExpression Bind(ExpressionSyntax syntax, IExpressionResolver resolver, bool allowRequest)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        ArgumentNullException.ThrowIfNull(resolver);
        return syntax switch
        {
            NumberSyntax n => BoundExpression.Constant(n.Value),
            NameSyntax { Name: "now" } => BoundExpression.Now(),
            NameSyntax { Name: RequestAmount } when allowRequest => BoundExpression.RequestAmount(),
            NameSyntax { Name: RequestAmount } n => throw new ExpressionException(
                $"'{RequestAmount}' is only available to request features (column {n.Column})", n.Column),
            NameSyntax n when n.Name.StartsWith("request.", StringComparison.Ordinal) => throw new ExpressionException(
                $"unknown request field '{n.Name}' at column {n.Column} (known: {RequestAmount})", n.Column),
            NameSyntax n => BoundExpression.Value(resolver.ResolveFeature(n.Name, n.Column)
                ?? throw new ExpressionException($"unknown feature '{n.Name}' at column {n.Column}", n.Column)),
            UnarySyntax u => BoundExpression.Negate(Bind(u.Operand, resolver, allowRequest)),
            BinarySyntax b => BoundExpression.Binary(
                b.Operator, Bind(b.Left, resolver, allowRequest), Bind(b.Right, resolver, allowRequest)),
            CallSyntax c => BindCall(c, resolver, allowRequest),
            _ => throw new ExpressionException($"unsupported expression at column {syntax.Column}", syntax.Column),
        };
    }

    private static BoundExpression BindCall(CallSyntax call, IExpressionResolver resolver, bool allowRequest)
    {
        var args = call.Arguments;
        if (args.Count > 0 && args[^1] is NumberSyntax { IsDuration: true } window
            && AggregationNames.TryParse(call.Function) is { } kind)
        {
            return BindAggregate(call, kind, (long)window.Value, resolver);
        }

        switch (call.Function)
        {
            case "abs" or "sqrt" or "log" when args.Count == 1:
            case "max" or "min" when args.Count >= 2:
            case "if" when args.Count == 3:
                return BoundExpression.Function(
                    call.Function, args.Select(a => Bind(a, resolver, allowRequest)).ToArray());
            case "abs" or "sqrt" or "log":
                throw new ExpressionException(
                    $"{call.Function}() takes one argument, got {args.Count} (column {call.Column})", call.Column);
            case "if":
                throw new ExpressionException(
                    $"if() takes a condition, a value when it is not 0 and a value when it is, got {args.Count} arguments (column {call.Column})", call.Column);
            case "max" or "min" when args.Count == 1:
                throw new ExpressionException(
                    $"{call.Function}() takes two or more numbers, or one window such as {call.Function}(1h) for the "
                    + $"{call.Function}imum amount (column {call.Column})", call.Column);
            default:
                if (AggregationNames.TryParse(call.Function) is not null)
                {
                    throw new ExpressionException(
                        $"{call.Function}() needs a window as its last argument, such as {call.Function}(1h) "
                        + $"(column {call.Column})", call.Column);
                }

                throw new ExpressionException(
                    $"unknown function '{call.Function}' at column {call.Column} (known: abs, sqrt, log, max, min, if and the "
                    + "aggregations count, sum, avg, min, max, stddev, distinct_count, first_time, last_time)",
                    call.Column);
        }
    }

    private static BoundExpression BindAggregate(
        CallSyntax call, AggregationKind kind, long windowMs, IExpressionResolver resolver)
    {
        if (kind == AggregationKind.NewDistinctCount)
        {
            throw new ExpressionException(
                $"{call.Function} needs a lookback: declare it as a feature and name it here (column {call.Column})", call.Column);
        }

        if (AggregationNames.ComparesWithRequest(kind))
        {
            throw new ExpressionException(
                $"{call.Function} compares with the request: declare it under request_features and name it here (column {call.Column})", call.Column);
        }

        TransactionField? field = AggregationNames.AggregatesAmount(kind) ? TransactionField.Amount : null;
        var readsField = AggregationNames.CountsValues(kind);
        var expectedArgs = readsField ? 2 : 1;
        if (call.Arguments.Count != expectedArgs)
        {
            var usage = readsField ? $"{call.Function}(field, window)" : $"{call.Function}(window)";
            throw new ExpressionException($"use {usage} (column {call.Column})", call.Column);
        }

        if (readsField)
        {
            if (call.Arguments[0] is not NameSyntax fieldName || FieldNames.TryParse(fieldName.Name) is not { } parsed
                || parsed == TransactionField.Amount)
            {
                throw new ExpressionException(
                    $"{call.Function} needs a field name first ({FieldNames.DistinctFieldList}) (column {call.Column})",
                    call.Column);
            }

            field = parsed;
        }

        return BoundExpression.Value(resolver.ResolveAggregate(kind, field, windowMs, call.Column));
    }
}
