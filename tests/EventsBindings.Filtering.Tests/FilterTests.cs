using System.Globalization;
using System.Text.Json;
using EventsBindings.Runtime;
using EventsBindings.Tests.SysLog;
using Xunit;

namespace EventsBindings.Filtering.Tests;

public sealed class SysLogFixture : IAsyncLifetime
{
    public SysLogMock Mock { get; private set; } = null!;

    public List<JsonElement> All { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mock = await SysLogMock.StartAsync();
        All = await Mock.AllAsync();
    }

    public async Task DisposeAsync() => await Mock.DisposeAsync();
}

/// <summary>
/// SCIM filters and keyword search of the test contract executed by the mock on Kestrel, through the generated
/// client's typed filter builder and as raw text; the expected events are computed here from the whole dataset.
/// </summary>
public sealed class FilterTests(SysLogFixture fixture) : IClassFixture<SysLogFixture>
{
    private SysLogMock Mock => fixture.Mock;

    /// <summary>The values at a dotted path (lists flattened), as JSON elements.</summary>
    private static IEnumerable<JsonElement> Values(JsonElement item, string path)
    {
        IEnumerable<JsonElement> current = new[] { item };
        foreach (var step in path.Split('.'))
        {
            current = current.SelectMany(e => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToArray() : new[] { e })
                .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(step, out _))
                .Select(e => e.GetProperty(step));
        }

        return current.SelectMany(e => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToArray() : new[] { e });
    }

    private static IEnumerable<string> Texts(JsonElement item, string path) =>
        Values(item, path).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!);

    private static string Uuid(JsonElement item) => item.GetProperty("uuid").GetString()!;

    private List<string> Expected(Func<JsonElement, bool> predicate) => fixture.All.Where(predicate).Select(Uuid).ToList();

    private async Task<List<string>> ViaClientAsync(LogsQuery query)
    {
        var client = Mock.Client();
        var result = new List<string>();
        await foreach (var e in client.GetLogsAsync(query))
        {
            result.Add(e.Uuid);
        }

        return result;
    }

    [Fact]
    public async Task The_typed_filter_of_event_type_and_severity_returns_exactly_the_matching_events()
    {
        var query = new LogsQuery
        {
            Filter = LogEventFilter.EventType.Eq("user.session.start").And(LogEventFilter.Severity.Eq(Severity.Warn)),
            Limit = 25,
        };

        Assert.Equal("eventType eq \"user.session.start\" and severity eq \"WARN\"", query.Filter);
        var expected = Expected(e => e.GetProperty("eventType").GetString() == "user.session.start" && e.GetProperty("severity").GetString() == "WARN");
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < fixture.All.Count / 2, "the filter must select a part of the dataset");
        Assert.Equal(expected, await ViaClientAsync(query));
    }

    [Fact]
    public async Task The_typed_expression_property_writes_the_raw_text()
    {
        var query = new LogsQuery { FilterExpression = LogEventFilter.TargetId.Eq("0oa1") | LogEventFilter.OutcomeResult.Eq(OutcomeResult.Failure) };

        Assert.Equal("target.id eq \"0oa1\" or outcome.result eq \"FAILURE\"", query.Filter);
        Assert.NotNull(query.FilterExpression);
        query.Filter = "uuid pr";
        Assert.Null(query.FilterExpression);
    }

    public static TheoryData<string, string> Expressions() => new()
    {
        { "array-any", "target.id eq \"0oa1\"" },
        { "nested-sw", "client.geographicalContext.city sw \"San\"" },
        { "co-and-not", "displayMessage co \"Okta\" and not (severity eq \"INFO\")" },
        { "or-parentheses", "(eventType eq \"user.session.end\" or eventType ew \".sso\") and outcome.result ne \"SUCCESS\"" },
        { "pr-null", "actor.displayName pr or client.ipAddress pr" },
        { "number", "retries ge 2 and retries lt 3" },
        { "time", "published gt \"{t1}\" and published le \"{t2}\"" },
        { "case", "EVENTTYPE eq \"x\"" },
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public async Task Raw_filters_return_exactly_the_events_an_independent_reading_selects(string name, string expression)
    {
        var times = fixture.All.Select(e => DateTimeOffset.Parse(e.GetProperty("published").GetString()!, CultureInfo.InvariantCulture)).Order().ToList();
        var t1 = times[times.Count / 4];
        var t2 = times[times.Count / 2];
        expression = expression.Replace("{t1}", t1.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{t2}", t2.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Func<JsonElement, bool> predicate = name switch
        {
            "array-any" => e => Texts(e, "target.id").Contains("0oa1"),
            "nested-sw" => e => Texts(e, "client.geographicalContext.city").Any(c => c.StartsWith("San", StringComparison.Ordinal)),
            "co-and-not" => e => Texts(e, "displayMessage").Any(m => m.Contains("Okta", StringComparison.Ordinal)) && !Texts(e, "severity").Contains("INFO"),
            "or-parentheses" => e => Texts(e, "eventType").Any(t => t == "user.session.end" || t.EndsWith(".sso", StringComparison.Ordinal)) && !Texts(e, "outcome.result").Contains("SUCCESS"),
            "pr-null" => e => Texts(e, "actor.displayName").Any(n => n.Length > 0) || Texts(e, "client.ipAddress").Any(a => a.Length > 0),
            "number" => e => Values(e, "retries").Any(r => r.ValueKind == JsonValueKind.Number && r.GetInt32() >= 2 && r.GetInt32() < 3),
            "time" => e => DateTimeOffset.Parse(e.GetProperty("published").GetString()!, CultureInfo.InvariantCulture) is var p && p > t1 && p <= t2,
            _ => _ => false,
        };

        if (name == "case")
        {
            // Attribute paths are the contract's, exactly: another spelling is an unknown attribute.
            var (status, body, _) = await Mock.GetAsync("logs?filter=" + Uri.EscapeDataString(expression));
            Assert.Equal(400, status);
            Assert.Equal("filter", body.GetProperty("errorParameter").GetString());
            return;
        }

        var expected = Expected(predicate);
        Assert.NotEmpty(expected);
        Assert.NotEqual(fixture.All.Count, expected.Count);
        Assert.Equal(expected, await ViaClientAsync(new LogsQuery { Filter = expression, Limit = 40 }));
        var (_, count, _) = await Mock.GetAsync("logs?limit=1000&filter=" + Uri.EscapeDataString(expression));
        Assert.Equal(expected.Count, count.GetArrayLength());
    }

    [Theory]
    [InlineData("eventType eq", 13)]
    [InlineData("eventType eq \"unclosed", 14)]
    [InlineData("nope eq \"x\"", 1)]
    [InlineData("eventType gt \"a\" and (severity eq \"WARN\"", 41)]
    [InlineData("severity co \"WA\"", 10)]
    [InlineData("published gt 17", 14)]
    [InlineData("actor eq \"x\"", 1)]
    [InlineData("", 1)]
    public async Task A_malformed_filter_is_a_400_naming_the_parameter_with_the_contract_code_and_the_column(string expression, int column)
    {
        var (status, body, _) = await Mock.GetAsync("logs?filter=" + Uri.EscapeDataString(expression));

        Assert.Equal(400, status);
        Assert.Equal("filter", body.GetProperty("errorParameter").GetString());
        Assert.Equal("E0000031", body.GetProperty("errorCode").GetString());
        Assert.Contains($"column {column}:", body.GetProperty("errorSummary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_filter_through_the_client_fails_with_a_400()
    {
        var ex = await Assert.ThrowsAnyAsync<EventsRequestException>(() => ViaClientAsync(new LogsQuery { Filter = "eventType eq" }));

        Assert.Equal(400, ex.Status);
    }

    [Theory]
    [InlineData("login okta")]
    [InlineData("OKTA")]
    [InlineData("session.start Okta")]
    [InlineData("salesforce")]
    public async Task Keywords_return_the_events_that_contain_every_term_in_one_of_the_fields(string q)
    {
        var fields = new[] { "displayMessage", "eventType", "actor.displayName", "actor.alternateId", "target.displayName" };
        var terms = q.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = Expected(e => terms.All(t => fields.Any(f => Texts(e, f).Any(v => v.Contains(t, StringComparison.OrdinalIgnoreCase)))));

        Assert.NotEmpty(expected);
        Assert.Equal(expected, await ViaClientAsync(new LogsQuery { Q = q, Limit = 50 }));
    }

    [Fact]
    public async Task Filters_combine_with_keywords_bounds_and_paging()
    {
        var times = fixture.All.Select(e => DateTimeOffset.Parse(e.GetProperty("published").GetString()!, CultureInfo.InvariantCulture)).Order().ToList();
        var since = times[times.Count / 3];
        var expected = Expected(e =>
            DateTimeOffset.Parse(e.GetProperty("published").GetString()!, CultureInfo.InvariantCulture) >= since
            && Texts(e, "severity").Any(s => s is "INFO" or "WARN")
            && Texts(e, "displayMessage").Concat(Texts(e, "eventType")).Concat(Texts(e, "actor.displayName")).Concat(Texts(e, "actor.alternateId")).Concat(Texts(e, "target.displayName")).Any(v => v.Contains("user", StringComparison.OrdinalIgnoreCase)));

        var query = new LogsQuery
        {
            Since = since,
            FilterExpression = LogEventFilter.Severity.Eq(Severity.Info) | LogEventFilter.Severity.Eq(Severity.Warn),
            Q = "user",
            Limit = 9,
        };

        Assert.NotEmpty(expected);
        Assert.Equal(expected, await ViaClientAsync(query));
    }

    [Fact]
    public async Task Every_answer_carries_the_declared_rate_limit_headers()
    {
        var (status, _, response) = await Mock.GetAsync("logs?limit=1");

        Assert.Equal(200, status);
        var limit = long.Parse(response.Headers.GetValues("X-Rate-Limit-Limit").Single(), CultureInfo.InvariantCulture);
        var remaining = long.Parse(response.Headers.GetValues("X-Rate-Limit-Remaining").Single(), CultureInfo.InvariantCulture);
        var reset = long.Parse(response.Headers.GetValues("X-Rate-Limit-Reset").Single(), CultureInfo.InvariantCulture);
        Assert.True(limit > 0 && remaining < limit, $"limit {limit}, remaining {remaining}");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(reset, now - 1, now + 61);
    }
}
