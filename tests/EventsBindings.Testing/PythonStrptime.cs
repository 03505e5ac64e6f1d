using System.Globalization;

namespace EventsBindings.Testing;

/// <summary>
/// The parsing limits of Python's <c>datetime.strptime</c> for the directives real clients use on
/// timestamps without an offset (<c>%Y %m %d %H %M %S %f</c> and literal characters), written from
/// Python's documented rules: <c>%Y</c> takes 4 digits, <c>%m %d %H %M %S</c> take 1 or 2,
/// <c>%f</c> takes 1 to 6 (so <c>.5970000</c>, the 7 digits of a .NET tick, is refused), every other
/// character must match itself, and the whole text must be consumed. Used to hold the mock to what
/// Python clients of the APIs accept.
/// </summary>
public static class PythonStrptime
{
    /// <summary>The format Python clients of Admin By Request parse its timestamps with.</summary>
    public const string IsoWithFraction = "%Y-%m-%dT%H:%M:%S.%f";

    /// <summary>Parses <paramref name="text"/> as <c>strptime(text, format)</c> would, or returns false where it raises.</summary>
    public static bool TryParse(string text, string format, out DateTime value)
    {
        value = default;
        int year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0;
        var at = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                if (at >= text.Length || text[at] != format[i])
                {
                    return false;
                }

                at++;
                continue;
            }

            var directive = format[++i];
            var (min, max) = directive switch
            {
                'Y' => (4, 4),
                'f' => (1, 6),
                'm' or 'd' or 'H' or 'M' or 'S' => (1, 2),
                _ => throw new ArgumentException($"Directive %{directive} is not supported.", nameof(format)),
            };
            var start = at;
            while (at < text.Length && at - start < max && text[at] is >= '0' and <= '9')
            {
                at++;
            }

            if (at - start < min)
            {
                return false;
            }

            var number = int.Parse(text.AsSpan(start, at - start), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (directive)
            {
                case 'Y': year = number; break;
                case 'm': month = number; break;
                case 'd': day = number; break;
                case 'H': hour = number; break;
                case 'M': minute = number; break;
                case 'S': second = number; break;
                default: micros = number * (int)Math.Pow(10, 6 - (at - start)); break;
            }
        }

        if (at != text.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            // strptime reads a second of 60 or 61, but datetime() refuses it.
            return false;
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(micros * 10L);
        return true;
    }
}
