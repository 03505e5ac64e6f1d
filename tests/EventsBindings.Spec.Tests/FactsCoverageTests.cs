using System.Text.RegularExpressions;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// <c>tests/fixtures/api-docs/FACTS.md</c> (a copy of the shared facts beyond the guides) is parsed
/// and every row of its tables is found in the contracts: ABR's event codes with their texts, the
/// base URLs, Banyan's types, sub-types, actions, severities and their combinations, the
/// refresh-token exchange and the count cap. Nothing is hand-listed here: a new row in the facts
/// fails this test until the contract carries it.
/// </summary>
public sealed partial class FactsCoverageTests
{
    private static readonly Lazy<Facts> Parsed = new(() => Facts.Read(TestFiles.FixturePath("api-docs", "FACTS.md")));

    [GeneratedRegex(@"`(https://[^`\s]+)`")]
    private static partial Regex BacktickedUrl();

    [GeneratedRegex(@"(\w+)/(\w+): ([^.]+)\.")]
    private static partial Regex CombinationGroup();

    [GeneratedRegex(@"^(.+) (DEBUG|INFO|WARN|ERROR)$")]
    private static partial Regex ActionAndSeverity();

    [GeneratedRegex(@"`(POST|GET) ([^`]+)`")]
    private static partial Regex MethodAndPath();

    [GeneratedRegex(@"\{""(\w+)"":")]
    private static partial Regex JsonProperty();

    [GeneratedRegex(@"count of (\d+)")]
    private static partial Regex CountCap();

    private static Facts F => Parsed.Value;

    private static ContractSpec Abr => TestFiles.Contract(TestFiles.Abr);

    private static ContractSpec Banyan => TestFiles.Contract(TestFiles.Banyan);

    [Fact]
    public void The_facts_are_parsed()
    {
        Assert.True(F.EventCodes.Count >= 75, $"{F.EventCodes.Count} event codes");
        Assert.NotEmpty(F.Row("Banyan", "Event types:"));
        Assert.NotEmpty(F.Row("Admin By Request", "Base URL by data center"));
    }

    [Fact]
    public void Every_ABR_event_code_is_a_value_of_the_event_code_enum_with_its_text()
    {
        var codes = EnumOf(Abr, "eventCode");
        var missing = F.EventCodes
            .Where(row => codes.Values.FirstOrDefault(v => v.Value == row.Code) is not { } value || value.Description != row.Text)
            .Select(row => $"{row.Code} {row.Text}")
            .ToList();
        Assert.True(missing.Count == 0, "Not in the contract (or with another text): " + string.Join("; ", missing));
        Assert.Equal(F.EventCodes.Count, codes.Values.Count);
    }

    [Fact]
    public void ABR_codes_above_92_are_observed_and_the_others_documented()
    {
        // FACTS.md: "Codes 1 to 92 match the vendor's page; the codes above 92 come from a public client's copy (observed)."
        foreach (var value in EnumOf(Abr, "eventCode").Values)
        {
            var expected = int.Parse(value.Value, System.Globalization.CultureInfo.InvariantCulture) > 92 ? ProvenanceKind.Observed : ProvenanceKind.Documented;
            Assert.True((value.Provenance?.Kind ?? EnumOf(Abr, "eventCode").Provenance?.Kind) == expected, $"code {value.Value}: expected {expected}");
        }
    }

    [Fact]
    public void The_data_center_urls_are_servers()
    {
        var abrUrls = BacktickedUrl().Matches(F.Row("Admin By Request", "Base URL by data center")).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, abrUrls.Count);
        Assert.All(abrUrls, url => Assert.Contains(Abr.Servers, s => s.Url == url));
        var banyanUrls = BacktickedUrl().Matches(F.Row("Banyan", "Base URL")).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(banyanUrls);
        Assert.All(banyanUrls, url => Assert.Contains(Banyan.Servers, s => s.Url == url));
    }

    [Fact]
    public void Every_Banyan_type_and_sub_type_is_an_enum_value()
    {
        var types = EnumOf(Banyan, "type");
        var subTypes = EnumOf(Banyan, "sub_type");
        var row = F.Row("Banyan", "Event types:");
        var typeNames = ListAfter(row, "Event types:");
        var subTypeNames = ListAfter(row, "Sub-types seen:");
        Assert.True(typeNames.Count >= 10 && subTypeNames.Count >= 6, row);
        Assert.All(typeNames, name => Assert.True(types.IndexOf(name) >= 0, $"type {name}"));
        Assert.All(subTypeNames, name => Assert.True(subTypes.IndexOf(name) >= 0, $"sub_type {name}"));
    }

    [Fact]
    public void Banyan_types_the_guide_never_names_are_not_documented()
    {
        var guide = File.ReadAllText(TestFiles.FixturePath("api-docs", "banyan-events-api.txt"));
        var types = EnumOf(Banyan, "type");
        var beyondGuide = ListAfter(F.Row("Banyan", "Event types:"), "Event types:")
            .Where(name => !Regex.IsMatch(guide, $@"\b{Regex.Escape(name)}\b"))
            .ToList();
        var combined = Combinations().Select(c => c.Type).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(beyondGuide);
        foreach (var name in beyondGuide.Where(n => !combined.Contains(n)))
        {
            var value = types.Values[types.IndexOf(name)];
            Assert.True(value.Provenance?.Kind == ProvenanceKind.Observed && !string.IsNullOrWhiteSpace(value.Provenance.Note), $"type {name} is in neither the guide nor a documented combination: it must be observed, with a note");
        }
    }

    [Fact]
    public void Every_Banyan_combination_is_a_mock_combination_of_known_values()
    {
        var types = EnumOf(Banyan, "type");
        var subTypes = EnumOf(Banyan, "sub_type");
        var actions = EnumOf(Banyan, "action");
        var severities = EnumOf(Banyan, "severity");
        var combinations = Combinations();
        Assert.True(combinations.Count >= 13, $"{combinations.Count} combinations");
        var mock = Banyan.Mock!.Combinations
            .Select(c => c.Values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal))
            .ToList();
        foreach (var c in combinations)
        {
            Assert.True(types.IndexOf(c.Type) >= 0, c.Type);
            Assert.True(subTypes.IndexOf(c.SubType) >= 0, c.SubType);
            Assert.True(actions.IndexOf(c.Action) >= 0, c.Action);
            Assert.True(severities.IndexOf(c.Severity) >= 0, c.Severity);
            Assert.True(
                mock.Exists(m => m.GetValueOrDefault("type") == c.Type && m.GetValueOrDefault("sub_type") == c.SubType && m.GetValueOrDefault("action") == c.Action && m.GetValueOrDefault("severity") == c.Severity),
                $"no mock combination {c}");
        }

        Assert.Equal(combinations.Count, mock.Count);
    }

    [Fact]
    public void Banyan_severities_are_ordered_as_the_facts_say()
    {
        var row = F.Row("Banyan", "`severity` orders");
        var order = Regex.Match(row, @"orders ([A-Z]+(?: < [A-Z]+)+)").Groups[1].Value.Split(" < ");
        var severities = EnumOf(Banyan, "severity");
        Assert.True(severities.Ordered);
        Assert.Equal(order, severities.Values.Select(v => v.Value));
        var atLeast = Banyan.Endpoints.Select(e => e.FindParameter("severity")).First(p => p is not null)!;
        Assert.Equal(SemanticsKind.AtLeast, atLeast.Semantics.Kind);
    }

    [Fact]
    public void The_refresh_token_exchange_is_an_endpoint_and_an_auth_scheme()
    {
        var row = F.Row("Banyan", "refresh_token");
        var exchange = MethodAndPath().Match(row);
        Assert.True(exchange.Success, row);
        var server = new Uri(Banyan.Servers.Single(s => s.IsDefault).Url).AbsolutePath.TrimEnd('/');
        var path = exchange.Groups[2].Value.Substring(server.Length);
        var endpoint = Banyan.Endpoints.Single(e => e.Path == path);
        Assert.Equal(exchange.Groups[1].Value, endpoint.Method);
        Assert.Equal(ResponseKind.Token, endpoint.Response.Kind);
        var scheme = Banyan.AuthSchemes.Single(s => s.Kind == AuthKind.RefreshToken);
        Assert.Equal(endpoint.Name, scheme.ExchangeEndpoint);
        Assert.Equal(JsonProperty().Match(row).Groups[1].Value, scheme.TokenField);
    }

    [Fact]
    public void The_count_cap_is_the_count_endpoints_cap()
    {
        var cap = long.Parse(CountCap().Match(F.Row("Banyan", "count of")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var count = Banyan.Endpoints.Single(e => e.Response.Kind == ResponseKind.Count);
        Assert.Equal(cap, count.Response.Cap);
    }

    private static List<(string Type, string SubType, string Action, string Severity)> Combinations()
    {
        var row = F.Row("Banyan", "combinations:");
        var result = new List<(string, string, string, string)>();
        foreach (Match group in CombinationGroup().Matches(row.Substring(row.IndexOf("combinations:", StringComparison.Ordinal))))
        {
            foreach (var entry in group.Groups[3].Value.Split(", "))
            {
                var parts = ActionAndSeverity().Match(entry.Trim());
                Assert.True(parts.Success, $"cannot read the combination '{entry}'");
                result.Add((group.Groups[1].Value, group.Groups[2].Value, parts.Groups[1].Value, parts.Groups[2].Value));
            }
        }

        return result;
    }

    /// <summary>The comma-separated names after a label, up to the next full stop.</summary>
    private static List<string> ListAfter(string row, string label)
    {
        var start = row.IndexOf(label, StringComparison.Ordinal) + label.Length;
        var end = row.IndexOf('.', start);
        return row.Substring(start, end - start).Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }

    /// <summary>The enum of a field of the contract's dataset (item) model.</summary>
    private static EnumSpec EnumOf(ContractSpec contract, string field)
    {
        var model = contract.FindModel(contract.Mock!.DatasetModel!)!;
        var type = model.FindField(field)!.Type;
        return contract.FindEnum(type.Name ?? string.Empty) ?? throw new InvalidOperationException($"{field} is not an enum field");
    }

    /// <summary>FACTS.md, read: the rows of its tables by section, and the ABR event-code table.</summary>
    private sealed record Facts(Dictionary<string, List<string>> Rows, List<(string Code, string Text)> EventCodes)
    {
        public static Facts Read(string path)
        {
            var rows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var codes = new List<(string, string)>();
            var section = string.Empty;
            var inCodes = false;
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    section = line.Substring(3).Trim();
                    inCodes = false;
                    continue;
                }

                if (line.StartsWith("### Event codes", StringComparison.Ordinal))
                {
                    inCodes = true;
                    continue;
                }

                if (!line.StartsWith('|') || line.StartsWith("| ---", StringComparison.Ordinal))
                {
                    continue;
                }

                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (inCodes)
                {
                    if (cells[0] != "code")
                    {
                        codes.Add((cells[0], cells[1]));
                    }
                }
                else if (cells[0] != "fact")
                {
                    (rows.TryGetValue(section, out var list) ? list : rows[section] = new List<string>()).Add(cells[0]);
                }
            }

            return new Facts(rows, codes);
        }

        /// <summary>The one fact of a section that contains this text.</summary>
        public string Row(string section, string containing) =>
            Rows[section].Single(r => r.Contains(containing, StringComparison.Ordinal));
    }
}
