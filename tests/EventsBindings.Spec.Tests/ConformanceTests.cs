using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// Documented examples and real recorded payloads conform to the contracts, through the public
/// <see cref="JsonConformance"/> API (the same checks the parser applies to examples).
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in TestFiles.All)
        {
            foreach (var endpoint in TestFiles.Contract(file).Endpoints)
            {
                foreach (var example in endpoint.Examples)
                {
                    data.Add(file, endpoint.Name + "/" + example.Name);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Both_contracts_document_examples()
    {
        Assert.NotEmpty(TestFiles.Contract(TestFiles.Abr).Endpoints.SelectMany(e => e.Examples));
        Assert.NotEmpty(TestFiles.Contract(TestFiles.Banyan).Endpoints.SelectMany(e => e.Examples));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_documented_example_conforms_to_its_model(string file, string example)
    {
        var contract = TestFiles.Contract(file);
        var endpoint = contract.FindEndpoint(example.Split('/')[0])!;
        var spec = endpoint.Examples.Single(e => e.Name == example.Split('/')[1]);
        var problems = spec.Status is >= 200 and < 300
            ? JsonConformance.CheckResponse(contract, endpoint, spec.Body)
            : JsonConformance.CheckError(contract, contract.ErrorsFor(endpoint).Single(e => e.Status == spec.Status), spec.Body);
        Log(problems);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData(TestFiles.Abr)]
    [InlineData(TestFiles.Banyan)]
    public void Every_error_body_conforms_to_its_model(string file)
    {
        var contract = TestFiles.Contract(file);
        var errors = contract.Errors.Concat(contract.Endpoints.SelectMany(e => e.Errors)).Where(e => e.Body is not null).ToList();
        Assert.NotEmpty(errors);
        foreach (var error in errors)
        {
            var problems = JsonConformance.CheckError(contract, error, error.Body!);
            Log(problems);
            Assert.Empty(problems);
        }
    }

    [Theory]
    [InlineData("events_v2.json", true)]
    [InlineData("event_v2.json", false)]
    [InlineData("event_v2_no_user.json", false)]
    [InlineData("event_v2_null_user.json", false)]
    public void Real_banyan_fixtures_conform_to_the_event_model(string fixture, bool isArray)
    {
        var contract = TestFiles.Contract(TestFiles.Banyan);
        var json = File.ReadAllText(TestFiles.FixturePath("banyan", fixture));
        var problems = JsonConformance.Check(contract, "Event", json, isArray);
        Log(problems);
        Assert.Empty(problems);
    }

    [Fact]
    public void Real_banyan_page_conforms_to_the_events_endpoint_when_wrapped()
    {
        var contract = TestFiles.Contract(TestFiles.Banyan);
        var json = "{\"data\": " + File.ReadAllText(TestFiles.FixturePath("banyan", "events_v2.json")) + "}";
        Assert.Empty(JsonConformance.CheckResponse(contract, contract.FindEndpoint("Events")!, json));
    }

    [Fact]
    public void The_guides_own_examples_conform_once_their_quotes_are_straightened()
    {
        // The guides were copied from web pages with typographic quotes; real responses use ASCII ones.
        var abr = TestFiles.Contract(TestFiles.Abr);
        var text = File.ReadAllText(TestFiles.FixturePath("api-docs", "admin-by-request-events-api.txt")).Replace('“', '"').Replace('”', '"');
        var start = text.IndexOf("Example successful request", StringComparison.Ordinal);
        var array = text.Substring(text.IndexOf('[', start));
        array = array.Substring(0, array.IndexOf("\n]", StringComparison.Ordinal) + 2);
        Log(JsonConformance.Check(abr, "Event", array, isArray: true));
        Assert.Empty(JsonConformance.Check(abr, "Event", array, isArray: true));

        var banyan = TestFiles.Contract(TestFiles.Banyan);
        var guide = File.ReadAllText(TestFiles.FixturePath("api-docs", "banyan-events-api.txt"));
        var bodies = guide.Split("HTTP Response Body").Skip(1).Select(part => part.Substring(part.IndexOf('{')).Trim()).ToList();
        Assert.Equal(3, bodies.Count);
        var events = bodies[0].Substring(0, bodies[0].IndexOf("\n}", StringComparison.Ordinal) + 2);
        var count = bodies[1].Substring(0, bodies[1].IndexOf("\n}", StringComparison.Ordinal) + 2);
        var feed = bodies[2].Substring(0, bodies[2].IndexOf("\n}", StringComparison.Ordinal) + 2);
        foreach (var (endpoint, body) in new[] { ("Events", events), ("EventCount", count), ("EventFeed", feed) })
        {
            var problems = JsonConformance.CheckResponse(banyan, banyan.FindEndpoint(endpoint)!, body);
            Log(problems);
            Assert.Empty(problems);
        }
    }

    [Fact]
    public void A_string_where_an_integer_belongs_is_located()
    {
        var contract = TestFiles.Contract(TestFiles.Abr);
        var json = "[\n  {\"id\": \"7\"}\n]";
        var problems = JsonConformance.Check(contract, "Event", json, isArray: true);
        var wrong = Assert.Single(problems, p => p.Id == DiagnosticIds.ExampleType);
        Assert.Equal("$[0].id", wrong.Path);
        Assert.Equal(2, wrong.Line);
        Assert.Equal(10, wrong.Column);
        var missing = problems.Where(p => p.Id == DiagnosticIds.ExampleMissingField).ToList();
        Assert.Contains(missing, p => p.Message.Contains("'eventCode'", StringComparison.Ordinal));
        Assert.False(JsonConformance.Conforms(problems));
    }

    [Fact]
    public void Null_in_a_non_nullable_field_and_undeclared_properties_are_told_apart()
    {
        var contract = TestFiles.Contract(TestFiles.Banyan);
        var ok = File.ReadAllText(TestFiles.FixturePath("banyan", "event_v2.json"));
        var withNull = ok.Replace("\"created_at\": 1", "\"created_at\": null, \"x\": 1, \"created_at_\": 1", StringComparison.Ordinal);
        var problems = JsonConformance.Check(contract, "Event", withNull);
        Assert.Contains(problems, p => p.Id == DiagnosticIds.ExampleType && p.Path == "$.created_at");
        Assert.Contains(problems, p => p.Id == DiagnosticIds.ExampleUnknownField && p.Severity == SpecSeverity.Warning && p.Path == "$.x");
    }

    [Theory]
    [InlineData("{\"data\": 5}", null)]
    [InlineData("{\"data\": \"5\"}", DiagnosticIds.ExampleType)]
    [InlineData("{\"count\": 5}", DiagnosticIds.ExampleMissingField)]
    [InlineData("5", DiagnosticIds.ExampleType)]
    [InlineData("{data: 5}", DiagnosticIds.ExampleJson)]
    [InlineData("{\"data\": 5.5}", DiagnosticIds.ExampleType)]
    [InlineData("{\"data\": 05}", DiagnosticIds.ExampleJson)]
    [InlineData("", DiagnosticIds.ExampleJson)]
    public void Count_responses_are_checked_with_their_envelope(string json, string? expected)
    {
        var contract = TestFiles.Contract(TestFiles.Banyan);
        var problems = JsonConformance.CheckResponse(contract, contract.FindEndpoint("EventCount")!, json);
        Log(problems);
        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal(expected, Assert.Single(problems).Id);
        }
    }

    [Theory]
    [InlineData("\"2022-01-23T15:49:20.597\"", true)]
    [InlineData("\"2022-01-23T15:49:20\"", true)]
    [InlineData("\"2022-01-23T15:49:20Z\"", false)]
    [InlineData("\"2022-01-23T15:49:20+01:00\"", false)]
    [InlineData("\"23/01/2022 15:49\"", false)]
    [InlineData("\"2022-02-30T15:49:20\"", false)]
    [InlineData("1642952960597", false)]
    public void Iso_local_timestamps_carry_no_offset(string value, bool conforms)
    {
        var contract = TestFiles.Contract(TestFiles.Abr);
        var type = contract.FindModel("Event")!.FindField("eventTime")!.Type;
        Assert.Equal(conforms, JsonConformance.Check(contract, type, value).Count == 0);
    }

    [Theory]
    [InlineData("{\"Message\": \"a \\u00e9 \\/ \\\" \\\\ \\b\\f\\n\\r\\t \\ud83d\\ude00\"}")]
    [InlineData("{\r\n\t\"Message\":\t\"tabs and CRLF\"\r\n}")]
    [InlineData("  {\"Message\":\"x\"}  \n\n")]
    [InlineData("{\"Message\":\"x\",\"extra\":[1,-2.5e-3,true,false,null,{\"a\":{}}]}")]
    public void Json_syntax_that_yaml_readers_might_trip_on_is_accepted(string json)
    {
        var contract = TestFiles.Contract(TestFiles.Abr);
        var problems = JsonConformance.Check(contract, "ErrorMessage", json);
        Log(problems);
        Assert.True(JsonConformance.Conforms(problems));
    }

    [Theory]
    [InlineData("{\"Message\": 'x'}")]
    [InlineData("{\"Message\": x}")]
    [InlineData("{\"Message\": \"x\", }")]
    [InlineData("Message: x")]
    [InlineData("{\"Message\": \"x\"} trailing")]
    [InlineData("{\"Message\": .5}")]
    [InlineData("{\"Message\": !!str x}")]
    [InlineData("[1, 2, ]")]
    [InlineData("{\"Message\": \"x\" # a comment\n}")]
    public void Yaml_that_is_not_json_is_refused(string json)
    {
        var contract = TestFiles.Contract(TestFiles.Abr);
        var problems = JsonConformance.Check(contract, "ErrorMessage", json);
        Log(problems);
        Assert.Contains(problems, p => p.Id == DiagnosticIds.ExampleJson);
    }

    [Theory]
    [InlineData("example-string-for-integer.yaml")]
    [InlineData("example-null-not-nullable.yaml")]
    [InlineData("example-missing-field.yaml")]
    [InlineData("example-not-json.yaml")]
    [InlineData("example-single-quoted.yaml")]
    [InlineData("example-undeclared-property.yaml")]
    public void Contract_examples_and_run_time_payloads_get_the_same_verdict(string file)
    {
        // One implementation serves both: the example inside the broken contract, checked as a payload
        // against the valid base contract, gives the same diagnostic id.
        var text = File.ReadAllText(Path.Combine(TestFiles.BrokenDirectory, file));
        var parsed = Assert.Single(ContractReader.Parse(text, file).Diagnostics);
        var body = text.Split('\n').Single(line => line.TrimStart().StartsWith("{\"data\"", StringComparison.Ordinal) || line.TrimStart().StartsWith("{data", StringComparison.Ordinal)).Trim();
        var contract = ContractReader.ParseFile(Path.Combine(TestFiles.BrokenDirectory, "_base.yaml.txt")).Contract!;
        var problem = Assert.Single(JsonConformance.CheckResponse(contract, contract.FindEndpoint("Items")!, body));
        Assert.Equal(parsed.Id, problem.Id);
        Assert.Equal(parsed.Severity, problem.Severity);
    }

    [Fact]
    public void Unknown_model_is_a_problem_not_an_exception()
    {
        var problem = Assert.Single(JsonConformance.Check(TestFiles.Contract(TestFiles.Abr), "Nope", "{}"));
        Assert.Equal(DiagnosticIds.UnknownType, problem.Id);
    }

    [Fact]
    public void Epoch_nanoseconds_keep_their_64_bits()
    {
        var contract = TestFiles.Contract(TestFiles.Banyan);
        var type = contract.FindModel("Device")!.FindField("last_mdm_data_synced_at")!.Type;
        Assert.Equal(TimestampEncoding.EpochNanos, type.Encoding);
        Assert.Empty(JsonConformance.Check(contract, type, "1589469323245456400"));
        Assert.NotEmpty(JsonConformance.Check(contract, type, "1.5894693232454564E18"));
    }

    private void Log(IEnumerable<JsonProblem> problems)
    {
        foreach (var p in problems)
        {
            output.WriteLine(p.ToString());
        }
    }
}
