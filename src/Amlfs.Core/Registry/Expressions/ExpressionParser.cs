using System.Globalization;

namespace Amlfs.Registry.Expressions;

/// <summary>
/// Recursive-descent parser for feature expressions:
/// <code>
/// compare := expr [('&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '==' | '!=') expr]
/// expr    := term (('+' | '-') term)*
/// term    := unary (('*' | '/') unary)*
/// unary   := '-' unary | primary
/// primary := number [unit] | name ['.' name] | name '(' [compare (',' compare)*] ')' | '(' compare ')'
/// unit    := ms | s | m | h | d
/// </code>
/// A comparison is 1 when it holds, else 0; in the syntax tree <c>&lt;=</c>, <c>&gt;=</c>, <c>==</c> and <c>!=</c> are
/// the operators <see cref="ComparisonOperators.LessOrEqual"/> and the others.
/// </summary>
public static class ExpressionParser
{
    public static ExpressionSyntax Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text);
        var expression = reader.ParseComparison();
        reader.SkipSpaces();
        if (!reader.AtEnd)
            throw reader.Error($"unexpected '{reader.Peek}'");
        return expression;
    }

    private sealed class Reader(string text)
    {
        private int _position;

        public bool AtEnd => _position >= text.Length;

        public char Peek => text[_position];

        public ExpressionException Error(string message) =>
            new($"{message} at column {_position + 1}", _position + 1);

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(Peek))
                _position++;
        }

        public ExpressionSyntax ParseComparison()
        {
            var left = ParseExpression();
            SkipSpaces();
            if (AtEnd || Peek is not ('<' or '>' or '=' or '!'))
                return left;
            var first = Peek;
            _position++;
            var column = _position;
            var equalsFollows = !AtEnd && Peek == '=';
            if (equalsFollows)
                _position++;
            var op = (first, equalsFollows) switch
            {
                ('<', false) => '<',
                ('>', false) => '>',
                ('<', true) => ComparisonOperators.LessOrEqual,
                ('>', true) => ComparisonOperators.GreaterOrEqual,
                ('=', true) => ComparisonOperators.Equal,
                ('!', true) => ComparisonOperators.NotEqual,
                _ => throw Error(first == '=' ? "use '==' to compare" : "use '!=' to compare"),
            };
            var right = ParseExpression();
            SkipSpaces();
            if (!AtEnd && Peek is '<' or '>' or '=' or '!')
                throw Error("comparisons do not chain; combine them with if() or * (and)");
            return new BinarySyntax(op, left, right, column);
        }

        public ExpressionSyntax ParseExpression()
        {
            var left = ParseTerm();
            while (TryOperator('+', '-') is { } op)
                left = new BinarySyntax(op.Operator, left, ParseTerm(), op.Column);
            return left;
        }

        private ExpressionSyntax ParseTerm()
        {
            var left = ParseUnary();
            while (TryOperator('*', '/') is { } op)
                left = new BinarySyntax(op.Operator, left, ParseUnary(), op.Column);
            return left;
        }

        private (char Operator, int Column)? TryOperator(char a, char b)
        {
            SkipSpaces();
            if (AtEnd || (Peek != a && Peek != b))
                return null;
            var op = Peek;
            _position++;
            return (op, _position);
        }

        private ExpressionSyntax ParseUnary()
        {
            SkipSpaces();
            if (!AtEnd && Peek == '-')
            {
                _position++;
                var column = _position;
                return new UnarySyntax('-', ParseUnary(), column);
            }

            return ParsePrimary();
        }

        private ExpressionSyntax ParsePrimary()
        {
            SkipSpaces();
            if (AtEnd)
                throw Error("expression ends too early");
            var column = _position + 1;
            if (Peek == '(')
            {
                _position++;
                var inner = ParseComparison();
                Expect(')');
                return inner;
            }

            if (char.IsAsciiDigit(Peek) || Peek == '.')
                return ParseNumber(column);
            if (char.IsAsciiLetter(Peek) || Peek == '_')
            {
                var name = ReadName();
                if (!AtEnd && Peek == '.')
                {
                    _position++;
                    if (AtEnd || !(char.IsAsciiLetter(Peek) || Peek == '_'))
                        throw Error($"a field name must follow '{name}.'");
                    name = name + "." + ReadName();
                }

                SkipSpaces();
                if (!AtEnd && Peek == '(')
                {
                    _position++;
                    var arguments = new List<ExpressionSyntax>();
                    SkipSpaces();
                    if (!AtEnd && Peek == ')')
                    {
                        _position++;
                        return new CallSyntax(name, arguments, column);
                    }

                    while (true)
                    {
                        arguments.Add(ParseComparison());
                        SkipSpaces();
                        if (!AtEnd && Peek == ',')
                        {
                            _position++;
                            continue;
                        }

                        Expect(')');
                        return new CallSyntax(name, arguments, column);
                    }
                }

                return new NameSyntax(name, column);
            }

            throw Error($"unexpected '{Peek}'");
        }

        private NumberSyntax ParseNumber(int column)
        {
            var start = _position;
            while (!AtEnd && (char.IsAsciiDigit(Peek) || Peek == '.'))
                _position++;
            var digits = text[start.._position];
            if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                throw new ExpressionException($"'{digits}' is not a number at column {column}", column);
            var unitStart = _position;
            while (!AtEnd && char.IsAsciiLetter(Peek))
                _position++;
            if (_position == unitStart)
                return new NumberSyntax(value, false, column);
            var unit = text[unitStart.._position];
            if (WindowRules.UnitMilliseconds(unit) is not { } ms)
                throw new ExpressionException($"unknown duration unit '{unit}' at column {unitStart + 1} (use ms, s, m, h or d)", unitStart + 1);
            return new NumberSyntax(value * ms, true, column);
        }

        private string ReadName()
        {
            var start = _position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek == '_'))
                _position++;
            return text[start.._position];
        }

        private void Expect(char c)
        {
            SkipSpaces();
            if (AtEnd)
                throw Error($"expected '{c}' but the expression ended");
            if (Peek != c)
                throw Error($"expected '{c}' but found '{Peek}'");
            _position++;
        }
    }
}
