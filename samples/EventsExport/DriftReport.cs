using System.Text.Json;
using EventsBindings.Runtime.Export;

namespace EventsExport;

/// <summary>
/// The end of a run that met drift or unreadable items: a summary on the console and the full table in a side
/// file beside the output (<c>events.drift.json</c>), so that a changed vendor API shows up without stopping the
/// export. Nothing is printed for a run whose pages fit the contract.
/// </summary>
internal static class DriftReport
{
    public static async Task WriteAsync(ExportResult result, string output, TextWriter stdout)
    {
        if (result.Rejected > 0)
        {
            await stdout.WriteLineAsync($"{result.Rejected} items could not be read and were written to {Path.ChangeExtension(output, ".rejected.ndjson")}.").ConfigureAwait(false);
        }

        if (result.Drift.Count == 0)
        {
            return;
        }

        var file = Path.ChangeExtension(output, ".drift.json");
        await stdout.WriteLineAsync($"Drift from the contract ({result.Drift.Count} paths; every event was kept as the server sent it; details in {file}):").ConfigureAwait(false);
        foreach (var row in result.Drift)
        {
            await stdout.WriteLineAsync($"  {row.PathPattern}: expected {row.Expected}, got {row.Got} ({row.Kind}) x{row.Count}").ConfigureAwait(false);
        }

        await using var stream = File.Create(file);
        await using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartArray();
        foreach (var row in result.Drift)
        {
            w.WriteStartObject();
            w.WriteString("path", row.PathPattern);
            w.WriteString("field", row.Field);
            w.WriteString("expected", row.Expected);
            w.WriteString("got", row.Got);
            w.WriteString("kind", row.Kind.ToString());
            w.WriteNumber("count", row.Count);
            w.WriteString("endpoint", row.Endpoint);
            w.WriteString("sample", row.FirstSample);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
