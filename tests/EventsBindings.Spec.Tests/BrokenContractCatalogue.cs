using System.Globalization;
using System.Text.RegularExpressions;

namespace EventsBindings.Spec.Tests;

/// <summary>What a case of the broken-contract catalogue must give: one diagnostic, at a line and column (1-based).</summary>
internal sealed record BrokenContractExpectation(string Id, int Line, int Column, string What);

/// <summary>
/// Reads the catalogue in <c>BrokenContracts/</c> (see its README): each case's first line is
/// <c># expect: EB1002 at 12:5 (what is broken)</c>. Shared by the spec tests and the generator
/// tests (linked into both), so that both hold the cases to the same expectations.
/// </summary>
internal static partial class BrokenContractCatalogue
{
    [GeneratedRegex(@"^# expect: (EB\d{4}) at (\d+):(\d+) \((.*)\)")]
    private static partial Regex ExpectLine();

    /// <summary>The file names of the cases (<c>*.yaml</c>) in a catalogue directory, ordered.</summary>
    public static List<string> CaseFiles(string directory) =>
        Directory.GetFiles(directory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The expectation in a case's header, or null when the header is malformed.</summary>
    public static BrokenContractExpectation? Expectation(string text)
    {
        var match = ExpectLine().Match(text);
        return match.Success
            ? new BrokenContractExpectation(
                match.Groups[1].Value,
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture),
                match.Groups[4].Value)
            : null;
    }
}
