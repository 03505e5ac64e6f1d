using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventsBindings.Bench;

/// <summary>The result of one whole-system benchmark: a table (rows of named columns) and notes.</summary>
public sealed class BenchResult
{
    public BenchResult(string title) => Title = title;

    public string Title { get; }

    public List<string> Columns { get; } = new();

    public List<Dictionary<string, string>> Rows { get; } = new();

    public List<string> Notes { get; } = new();

    /// <summary>Numbers by key, for tests and the docs (e.g. "generated.eventsPerSecond").</summary>
    public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

    public void AddRow(params (string Column, object Value)[] cells)
    {
        var row = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, value) in cells)
        {
            if (!Columns.Contains(column))
            {
                Columns.Add(column);
            }

            row[column] = value switch
            {
                double d => d.ToString(Math.Abs(d) >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture),
                float f => f.ToString("0.###", CultureInfo.InvariantCulture),
                IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                _ => value?.ToString() ?? string.Empty,
            };
        }

        Rows.Add(row);
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("### ").AppendLine(Title).AppendLine();
        sb.Append("| ").AppendJoin(" | ", Columns).AppendLine(" |");
        sb.Append('|').AppendJoin('|', Columns.Select(_ => " --- ")).AppendLine("|");
        foreach (var row in Rows)
        {
            sb.Append("| ").AppendJoin(" | ", Columns.Select(c => row.TryGetValue(c, out var v) ? v : string.Empty)).AppendLine(" |");
        }

        foreach (var note in Notes)
        {
            sb.AppendLine().Append("- ").Append(note);
        }

        return sb.AppendLine().ToString();
    }
}

/// <summary>Prints results and keeps a JSON copy under artifacts/bench.</summary>
public static class Report
{
    public static void Print(BenchResult result)
    {
        Console.WriteLine();
        Console.WriteLine(result.ToMarkdown());
        try
        {
            var dir = Path.Combine(Environment.CurrentDirectory, "artifacts", "bench");
            Directory.CreateDirectory(dir);
            var name = new string(result.Title.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
            File.WriteAllText(Path.Combine(dir, name + ".json"), JsonSerializer.Serialize(new { result.Title, result.Rows, result.Values, result.Notes }, new JsonSerializerOptions { WriteIndented = true }));
        }
        catch (IOException)
        {
            // The copy is a convenience.
        }
    }

    public static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);
}
