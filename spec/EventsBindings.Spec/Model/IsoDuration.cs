using System.Globalization;
using System.Text;

namespace EventsBindings.Spec.Model;

/// <summary>
/// Signed ISO 8601 durations of fixed length: <c>[-+]P[nW][nD][T[nH][nM][n[.f]S]]</c>. Years and months are
/// refused (their length depends on the calendar).
/// </summary>
public static class IsoDuration
{
    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text, such as <c>-P7D</c> or <c>PT1H30M</c>.</param>
    /// <param name="value">The duration (negative for a leading <c>-</c>).</param>
    /// <param name="problem">Why the text is not a duration, when it is not.</param>
    /// <returns>Whether the text is a duration.</returns>
    public static bool TryParse(string text, out TimeSpan value, out string? problem)
    {
        value = TimeSpan.Zero;
        problem = null;
        var i = 0;
        var negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            i++;
        }

        if (i >= text.Length || text[i] != 'P')
        {
            problem = "a duration starts with P (optionally signed: -P7D)";
            return false;
        }

        i++;
        var inTime = false;
        var any = false;
        var order = "WD";
        var last = -1;
        decimal total = 0;
        while (i < text.Length)
        {
            if (text[i] == 'T')
            {
                if (inTime)
                {
                    problem = "T appears twice";
                    return false;
                }

                inTime = true;
                order = "HMS";
                last = -1;
                i++;
                if (i >= text.Length)
                {
                    problem = "T is followed by no time part";
                    return false;
                }

                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || i >= text.Length)
            {
                problem = "every number needs a unit (W, D, or after T: H, M, S)";
                return false;
            }

            var unit = text[i];
            if (!decimal.TryParse(text.Substring(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number > 1_000_000)
            {
                problem = $"'{text.Substring(start, i - start)}' is not a number of at most 1000000";
                return false;
            }

            if (!inTime && (unit == 'Y' || unit == 'M'))
            {
                problem = "years and months have no fixed length; give days or weeks (P30D)";
                return false;
            }

            var index = order.IndexOf(unit);
            if (index < 0 || index <= last)
            {
                problem = $"'{unit}' is not a unit here (expected {(inTime ? "H, M, S after T" : "W, D, or T")}, each at most once, in that order)";
                return false;
            }

            if (number != decimal.Truncate(number) && unit != 'S')
            {
                problem = "only seconds may have a fraction";
                return false;
            }

            last = index;
            total += number * unit switch
            {
                'W' => 7m * 86_400_000,
                'D' => 86_400_000m,
                'H' => 3_600_000m,
                'M' => 60_000m,
                _ => 1_000m,
            };
            any = true;
            i++;
        }

        if (!any)
        {
            problem = "the duration has no part";
            return false;
        }

        if (total > (decimal)TimeSpan.FromDays(100_000).TotalMilliseconds)
        {
            problem = "the duration is longer than 100000 days";
            return false;
        }

        var ticks = (long)decimal.Round(total * TimeSpan.TicksPerMillisecond);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Writes a duration as ISO 8601 (<c>-P7D</c>, <c>PT1H30M</c>).</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan value)
    {
        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            value = value.Negate();
        }

        builder.Append('P');
        if (value.Days > 0)
        {
            builder.Append(value.Days.ToString(CultureInfo.InvariantCulture)).Append('D');
        }

        var time = value - TimeSpan.FromDays(value.Days);
        if (time > TimeSpan.Zero || value == TimeSpan.Zero)
        {
            builder.Append('T');
            if (time.Hours > 0)
            {
                builder.Append(time.Hours.ToString(CultureInfo.InvariantCulture)).Append('H');
            }

            if (time.Minutes > 0)
            {
                builder.Append(time.Minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
            }

            var seconds = time - new TimeSpan(time.Hours, time.Minutes, 0);
            if (seconds > TimeSpan.Zero || value == TimeSpan.Zero)
            {
                builder.Append(((decimal)seconds.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture)).Append('S');
            }
        }

        return builder.ToString();
    }

    /// <summary>Plain English for a non-negative duration: <c>7 days</c>, <c>1 hour 30 minutes</c>.</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text.</returns>
    public static string Describe(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            value = value.Negate();
        }

        var parts = new List<string>();
        void Part(long n, string unit)
        {
            if (n > 0)
            {
                parts.Add(n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? string.Empty : "s"));
            }
        }

        Part(value.Days, "day");
        Part(value.Hours, "hour");
        Part(value.Minutes, "minute");
        var seconds = value - new TimeSpan(value.Days, value.Hours, value.Minutes, 0);
        if (seconds.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            Part(seconds.Ticks / TimeSpan.TicksPerSecond, "second");
        }
        else
        {
            parts.Add(((decimal)seconds.Ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + " seconds");
        }

        return parts.Count == 0 ? "0 seconds" : string.Join(" ", parts);
    }
}
