namespace Amlfs.Registry.Expressions;

/// <summary>
/// An expression bound to value slots, ready to evaluate. Division by zero and non-finite results give 0, the value of
/// an empty window, so a ratio over nothing reads as nothing.
/// </summary>
public abstract class BoundExpression
{
    /// <summary>Evaluates against the entity's values (aggregates and earlier features) in a scope (as-of time, request).</summary>
    public abstract double Evaluate(ReadOnlySpan<double> values, in ExpressionScope scope);

    /// <summary>Adds the value slots the expression reads to <paramref name="slots"/>.</summary>
    internal virtual void AddReads(ISet<int> slots)
    {
    }

    internal static BoundExpression Constant(double value) => new ConstantNode(value);

    internal static BoundExpression Value(int index) => new ValueNode(index);

    internal static BoundExpression Now() => new NowNode();

    internal static BoundExpression RequestAmount() => new RequestAmountNode();

    internal static BoundExpression Negate(BoundExpression operand) => new NegateNode(operand);

    internal static BoundExpression Binary(char op, BoundExpression left, BoundExpression right) =>
        new BinaryNode(op, left, right);

    internal static BoundExpression Function(string name, BoundExpression[] arguments) =>
        new FunctionNode(name, arguments);

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private sealed class ConstantNode(double value) : BoundExpression
    {
        public override double Evaluate(ReadOnlySpan<double> values, in ExpressionScope scope) => value;
    }

    private sealed class ValueNode(int index) : BoundExpression
    {
        public override double Evaluate(ReadOnlySpan<double> values, in ExpressionScope scope) => values[index];

        internal override void AddReads(ISet<int> slots) => slots.Add(index);
    }

    private sealed class NowNode : BoundExpression
    {
        public override double Evaluate(ReadOnlySpan<double> values, in ExpressionScope scope) => scope.NowMs;
    }

    private sealed class RequestAmountNode : BoundExpression
    {
        public override double Evaluate(ReadOnlySpan<double> values, in ExpressionScope scope) => scope.RequestAmount ?? 0;
    }

    private sealed class NegateNode(BoundExpression operand) : BoundExpression
    {
        public override double Evaluate(ReadOnlySpan<double> values, in ExpressionScope scope) =>
            -operand.Evaluate(values, scope);

        internal override void AddReads(ISet<int> slots) => operand.AddReads(slots);
    }

    private sealed class BinaryNode(char op, BoundExpression left, BoundExpression right) : BoundExpression
    {
        public override double Evaluate(ReadOnlySpan<double> values, in ExpressionScope scope)
        {
            var a = left.Evaluate(values, scope);
            var b = right.Evaluate(values, scope);
            return op switch
            {
                '+' => Finite(a + b),
                '-' => Finite(a - b),
                '*' => Finite(a * b),
                '/' => b == 0 ? 0 : Finite(a / b),
                _ => ComparisonOperators.Apply(op, a, b),
            };
        }

        internal override void AddReads(ISet<int> slots)
        {
            left.AddReads(slots);
            right.AddReads(slots);
        }
    }

    private sealed class FunctionNode(string name, BoundExpression[] arguments) : BoundExpression
    {
        public override double Evaluate(ReadOnlySpan<double> values, in ExpressionScope scope)
        {
            var result = arguments[0].Evaluate(values, scope);
            switch (name)
            {
                case "abs":
                    return Math.Abs(result);
                case "sqrt":
                    return result <= 0 ? 0 : Math.Sqrt(result);
                case "log":
                    return result <= 0 ? 0 : Math.Log(result);
                case "if":
                    return result != 0 ? arguments[1].Evaluate(values, scope) : arguments[2].Evaluate(values, scope);
                case "max":
                    for (var i = 1; i < arguments.Length; i++)
                        result = Math.Max(result, arguments[i].Evaluate(values, scope));
                    return result;
                default:
                    for (var i = 1; i < arguments.Length; i++)
                        result = Math.Min(result, arguments[i].Evaluate(values, scope));
                    return result;
            }
        }

        internal override void AddReads(ISet<int> slots)
        {
            foreach (var argument in arguments)
                argument.AddReads(slots);
        }
    }
}
