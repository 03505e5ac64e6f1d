using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify;

/// <summary>
/// Runs a contract's read-only checks against any server (the mock server or the live API): default
/// requests, page sizes, a paging walk, every filter's semantics, bounds, auth, counts, items by id,
/// and drift between what the server sends and what the contract models. Bounded in requests and
/// paced; never prints a secret.
/// </summary>
public static class ContractVerifier
{
    /// <summary>Runs every check of <paramref name="contract"/> against <paramref name="baseUrl"/>.</summary>
    /// <param name="contract">The contract.</param>
    /// <param name="baseUrl">The API's base URL (endpoint paths are appended), such as <c>http://127.0.0.1:5080/adminbyrequest</c>.</param>
    /// <param name="credential">The credential, sent as the contract's first security scheme (or <see cref="VerifyOptions.Scheme"/>).</param>
    /// <param name="options">Budget, pace and scheme; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The report: one result per check.</returns>
    public static async Task<VerifyReport> RunAsync(ContractSpec contract, Uri baseUrl, string credential, VerifyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new VerifyOptions();
        using var run = new VerifierRun(contract, baseUrl, credential, options, cancellationToken);
        return await run.RunAsync().ConfigureAwait(false);
    }
}

/// <summary>One verification run.</summary>
internal sealed class VerifierRun : IDisposable
{
    private readonly ContractSpec _contract;
    private readonly Uri _baseUrl;
    private readonly VerifyOptions _options;
    private readonly CancellationToken _cancellationToken;
    private readonly VerifySession _session;
    private readonly List<CheckResult> _results = new();
    private readonly Dictionary<string, List<JsonElement>> _samples = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _sampleTimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DriftCollector> _drift = new(StringComparer.Ordinal);

    public VerifierRun(ContractSpec contract, Uri baseUrl, string credential, VerifyOptions options, CancellationToken cancellationToken)
    {
        _contract = contract;
        _baseUrl = baseUrl;
        _options = options;
        _cancellationToken = cancellationToken;
        _session = new VerifySession(contract, baseUrl, credential, options);
    }

    public void Dispose() => _session.Dispose();

    public async Task<VerifyReport> RunAsync()
    {
        var watch = Stopwatch.StartNew();
        if (_session.Scheme is { Kind: AuthKind.RefreshToken } refresh)
        {
            await CheckAsync($"auth: {refresh.Name} exchange", async ctx =>
            {
                var (ok, reason, line) = await _session.ExchangeAsync(_cancellationToken).ConfigureAwait(false);
                if (line is not null)
                {
                    ctx.Requests.Add(line);
                }

                return (ok ? CheckStatus.Pass : CheckStatus.Fail, reason);
            }).ConfigureAwait(false);
        }
        else if (_options.Scheme is not null && _session.Scheme is null)
        {
            Add("auth: scheme", CheckStatus.Fail, $"the contract has no auth scheme '{_options.Scheme}'", Array.Empty<string>(), TimeSpan.Zero);
        }

        var endpoints = new List<EndpointSpec>();
        foreach (var endpoint in _contract.Endpoints)
        {
            if (endpoint.Response.Kind == ResponseKind.Token)
            {
                Add($"{endpoint.Name}: not checked", CheckStatus.Skip, "a token exchange, checked when the credential is of its refreshToken scheme", Array.Empty<string>(), TimeSpan.Zero);
            }
            else if (endpoint.Security.Count > 0 && _session.Scheme is { } scheme && !Accepts(endpoint, scheme))
            {
                Add($"{endpoint.Name}: not checked", CheckStatus.Skip, $"the endpoint does not accept the scheme '{scheme.Name}'", Array.Empty<string>(), TimeSpan.Zero);
            }
            else
            {
                endpoints.Add(endpoint);
                _drift[endpoint.Name] = new DriftCollector(_contract);
            }
        }

        // Sample first: the lists without path parameters feed the filters, paths and ids of the rest.
        var sampled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.Where(e => e.Response.Kind == ResponseKind.List && !HasPathParameters(e)))
        {
            await DefaultListAsync(endpoint, new Dictionary<string, string>()).ConfigureAwait(false);
            sampled.Add(endpoint.Name);
        }

        foreach (var endpoint in endpoints)
        {
            switch (endpoint.Response.Kind)
            {
                case ResponseKind.List:
                    await ListChecksAsync(endpoint, sampled.Contains(endpoint.Name)).ConfigureAwait(false);
                    break;
                case ResponseKind.Count:
                    await CountChecksAsync(endpoint).ConfigureAwait(false);
                    break;
                case ResponseKind.Item:
                    await ItemChecksAsync(endpoint).ConfigureAwait(false);
                    break;
            }

            await MissingCredentialAsync(endpoint).ConfigureAwait(false);
            DriftCheck(endpoint);
        }

        return new VerifyReport(_contract.Name, _session.Redact(_baseUrl.ToString()), _results.ToList(), _session.Sent, watch.Elapsed);
    }

    // ---------------------------------------------------------------- list endpoints

    private async Task ListChecksAsync(EndpointSpec endpoint, bool alreadySampled)
    {
        var pathValues = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!alreadySampled)
        {
            var resolved = ResolvePathValues(endpoint);
            if (resolved is null)
            {
                Add($"{endpoint.Name}: default request", CheckStatus.Skip, "no sampled item supplies its path parameters", Array.Empty<string>(), TimeSpan.Zero);
                return;
            }

            pathValues = resolved;
            await DefaultListAsync(endpoint, pathValues).ConfigureAwait(false);
        }
        else
        {
            pathValues = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (!_samples.TryGetValue(endpoint.Name, out var items))
        {
            return;
        }

        DefaultPageSize(endpoint, items);
        await PagingAsync(endpoint, pathValues).ConfigureAwait(false);
        foreach (var parameter in endpoint.Parameters.Where(p => p.In != ParameterLocation.Path))
        {
            switch (parameter.Semantics.Kind)
            {
                case SemanticsKind.EqualTo or SemanticsKind.OneOf or SemanticsKind.AtLeast or SemanticsKind.GreaterThan or SemanticsKind.LessThan or SemanticsKind.CursorStart
                    when parameter.Semantics.Field is not null:
                    await FilterAsync(endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.RelativeWindow when parameter.Semantics.Field is not null:
                    await WindowAsync(endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.SortOrder:
                    await SortOrderAsync(endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.NewestN:
                    await NewestAsync(endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.Offset:
                    await OffsetAsync(endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.Scim:
                    await ScimAsync(endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.Keywords:
                    await KeywordsAsync(endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.Opaque:
                    // The contract does not say what the parameter does, so there is nothing to check it against.
                    Add($"{endpoint.Name}: {parameter.WireName}", CheckStatus.Skip, "not executed: the contract declares its semantics opaque", Array.Empty<string>(), TimeSpan.Zero);
                    break;
            }
        }

        await BeyondMaximumAsync(endpoint, pathValues).ConfigureAwait(false);
    }

    private Task DefaultListAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues) =>
        CheckAsync($"{endpoint.Name}: default request", async ctx =>
        {
            var response = await ctx.SendAsync(endpoint, pathValues, Array.Empty<(string, string)>()).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = Items(endpoint, response.Body);
            _samples[endpoint.Name] = items; // kept even when the body departs from the model: the other checks still learn from it
            _sampleTimes[endpoint.Name] = response.Date ?? DateTimeOffset.UtcNow;
            if (ctx.LastErrors.Count > 0)
            {
                return (CheckStatus.Fail, $"the body does not match the contract: {string.Join("; ", ctx.LastErrors.Take(3))}");
            }

            var model = ResponseModel(endpoint);
            if (model is not null && endpoint.Order is { } order && Field(model, order.Field) is { } orderField
                && OutOfOrder(items, order.Field, orderField, order.Direction == SortDirection.Ascending) is { } problem)
            {
                return (CheckStatus.Fail, problem);
            }

            foreach (var parameter in endpoint.Parameters.Where(p => p.In == ParameterLocation.Path && p.Semantics.Kind == SemanticsKind.EqualTo && p.Semantics.Field is not null))
            {
                var value = pathValues[parameter.WireName];
                var ci = parameter.Semantics.CaseInsensitive || parameter.CaseInsensitive;
                var bad = items.FindIndex(item => ItemValues.At(item, parameter.Semantics.Field!) is not { } v || !ItemValues.SameText(ItemValues.Text(v), value, ci));
                if (bad >= 0)
                {
                    return (CheckStatus.Fail, $"item {bad} has {parameter.Semantics.Field} ≠ {value} (path parameter {parameter.WireName})");
                }
            }

            return (CheckStatus.Pass, items.Count == 0
                ? "200 with no items: the checks that sample items have nothing to work with"
                : $"{items.Count} items conform to {ResponseModelName(endpoint)}{(endpoint.Order is null ? string.Empty : $", in {endpoint.Order.Direction.ToString().ToLowerInvariant()} order of {endpoint.Order.Field}")}");
        });

    private void DefaultPageSize(EndpointSpec endpoint, List<JsonElement> items)
    {
        var name = $"{endpoint.Name}: default page size";
        var parameter = PageSizeParameter(endpoint);
        if (parameter?.Default is null || !int.TryParse(parameter.Default, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            Add(name, CheckStatus.Skip, "the contract declares no default page size", Array.Empty<string>(), TimeSpan.Zero);
            return;
        }

        Add(name, items.Count <= size ? CheckStatus.Pass : CheckStatus.Fail,
            items.Count <= size ? $"{items.Count} items ≤ the default {parameter.WireName}={size}{(items.Count == size ? " (a full page)" : string.Empty)}" : $"{items.Count} items > the default {parameter.WireName}={size}",
            Array.Empty<string>(), TimeSpan.Zero);
    }

    private Task PagingAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues) =>
        CheckAsync($"{endpoint.Name}: paging", async ctx =>
        {
            var pagination = endpoint.Pagination;
            var sizeParameter = PageSizeParameter(endpoint);
            if (pagination is null || pagination.Strategy == PaginationStrategy.None || sizeParameter is null)
            {
                return (CheckStatus.Skip, "the contract declares no pagination");
            }

            var size = (int)Math.Clamp(_options.WalkPageSize, Math.Max(1, sizeParameter.Minimum ?? 1), sizeParameter.Maximum ?? int.MaxValue);
            var identity = IdentityField(endpoint);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var walk = new List<string>();
            var pages = 0;
            var full = true;
            string? cursor = null;
            Uri? link = null;
            while (pages < Math.Max(1, _options.MaxPages))
            {
                var parameters = new List<(string, string)> { (sizeParameter.WireName, Num(size)) };
                if (pages > 0)
                {
                    if (pagination.Strategy == PaginationStrategy.NextLink)
                    {
                        if (pagination.NextLink is { IsToken: true } && pagination.TokenParameter is { } tokenParameter && cursor is not null)
                        {
                            parameters.Add((tokenParameter, cursor));
                        }
                        else
                        {
                            parameters.Clear(); // the link carries the whole query
                        }
                    }
                    else if (pagination.Strategy == PaginationStrategy.Cursor && cursor is not null)
                    {
                        parameters.Add((pagination.CursorParameter!, cursor));
                    }
                    else if (pagination.Strategy == PaginationStrategy.Offset && pagination.OffsetParameter is not null)
                    {
                        parameters.Add((pagination.OffsetParameter, Num(pages * size)));
                    }
                }

                var response = await ctx.SendAsync(endpoint, pathValues, parameters, link: pages > 0 ? link : null).ConfigureAwait(false);
                if (response.Code != 200)
                {
                    return (CheckStatus.Fail, $"page {pages + 1}: expected 200, got {response.Code}: {Snippet(response.Body)}");
                }

                string? next = null;
                var selfRepeat = false;
                if (pagination.Strategy == PaginationStrategy.NextLink && pagination.NextLink is { } named)
                {
                    next = NextLinkOf(named, response);
                    if (next is not null && !named.IsToken)
                    {
                        var firstPath = endpoint.Path;
                        foreach (var (name, value) in pathValues)
                        {
                            firstPath = firstPath.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
                        }

                        var from = link ?? new Uri(_baseUrl.ToString().TrimEnd('/') + firstPath);
                        if (!Uri.TryCreate(from, next, out var absolute))
                        {
                            return (CheckStatus.Fail, $"page {pages + 1} names a next link that is not a URI reference");
                        }

                        selfRepeat = link is not null && absolute == link;
                        link = absolute;
                    }
                }

                var items = Items(endpoint, response.Body);
                pages++;
                if (items.Count > size)
                {
                    return (CheckStatus.Fail, $"page {pages} has {items.Count} items, more than {sizeParameter.WireName}={size}");
                }

                foreach (var item in items)
                {
                    var key = Identity(item, identity);
                    if (!seen.Add(key))
                    {
                        return (CheckStatus.Fail, $"page {pages} repeats the item {identity ?? "(whole item)"}={Shorten(key)} of an earlier page");
                    }

                    walk.Add(key);
                }

                if (pagination.Strategy == PaginationStrategy.NextLink)
                {
                    if (selfRepeat && items.Count > 0)
                    {
                        return (CheckStatus.Fail, $"page {pages} names itself as the next page (the walk would loop)");
                    }

                    if (next is null || items.Count == 0)
                    {
                        full = items.Count == size;
                        break;
                    }

                    cursor = next;
                    continue;
                }

                if (items.Count < size || items.Count == 0)
                {
                    full = false;
                    break;
                }

                if (pagination.Strategy == PaginationStrategy.Cursor)
                {
                    if (ItemValues.At(items[^1], pagination.CursorField!) is not { } last)
                    {
                        return (CheckStatus.Fail, $"the last item of page {pages} has no {pagination.CursorField} to continue from");
                    }

                    cursor = ItemValues.Text(last);
                    if (pagination.CursorNext == CursorNext.LastPlusOne)
                    {
                        if (!long.TryParse(cursor, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                        {
                            return (CheckStatus.Fail, $"the cursor {pagination.CursorField}={Shorten(cursor)} is not an integer (next: lastPlusOne)");
                        }

                        cursor = (n + 1).ToString(CultureInfo.InvariantCulture);
                    }
                }
            }

            if (walk.Count == 0)
            {
                return (CheckStatus.Pass, "the first page is empty: nothing to walk");
            }

            if (sizeParameter.Maximum is { } max && walk.Count > max)
            {
                return (CheckStatus.Pass, $"{pages} pages, {walk.Count} distinct items");
            }

            // Gaps: the walk must equal one request for as many items.
            var reference = await ctx.SendAsync(endpoint, pathValues, new[] { (sizeParameter.WireName, Num(walk.Count)) }).ConfigureAwait(false);
            if (reference.Code != 200)
            {
                return (CheckStatus.Fail, $"one request of {walk.Count}: expected 200, got {reference.Code}");
            }

            var expected = Items(endpoint, reference.Body).Select(i => Identity(i, identity)).ToList();
            for (var i = 0; i < walk.Count; i++)
            {
                if (i >= expected.Count || expected[i] != walk[i])
                {
                    return (CheckStatus.Fail, $"gap or reorder at item {i}: the walk has {Shorten(walk[i])}, one request of {walk.Count} has {(i < expected.Count ? Shorten(expected[i]) : "nothing")}");
                }
            }

            return (CheckStatus.Pass, $"{pages} pages of {sizeParameter.WireName}={size} ({pagination.Strategy.ToString().ToLowerInvariant()}{(full ? string.Empty : ", last page short")}): {walk.Count} distinct items, no gap against one request of {walk.Count}");
        });

    private Task FilterAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter)
    {
        var semantics = parameter.Semantics;
        var kind = semantics.Kind == SemanticsKind.EqualTo ? "equals" : JsonCamel(semantics.Kind.ToString());
        return CheckAsync($"{endpoint.Name}: filter {parameter.WireName} ({kind})", async ctx =>
        {
            var model = ResponseModel(endpoint);
            var field = model is null ? null : Field(model, semantics.Field!);
            if (field is null)
            {
                return (CheckStatus.Skip, $"the item model has no field {semantics.Field}");
            }

            var samples = _samples.TryGetValue(endpoint.Name, out var s) ? s : new List<JsonElement>();
            var candidates = samples
                .Select(item => ItemValues.At(item, semantics.Field!))
                .Where(v => v is { } x && (x.ValueKind != JsonValueKind.String || x.GetString()!.Length > 0))
                .Select(v => v!.Value)
                .ToList();
            if (candidates.Count == 0)
            {
                return (CheckStatus.Skip, $"no sampled item has a value at {semantics.Field}");
            }

            var ci = semantics.CaseInsensitive || parameter.CaseInsensitive
                || (field.Type.Kind == TypeKind.Enum && _contract.FindEnum(field.Type.Name!) is { CaseInsensitive: true });
            EnumSpec? ordered = semantics.Kind == SemanticsKind.AtLeast && field.Type.Kind == TypeKind.Enum ? _contract.FindEnum(field.Type.Name!) : null;
            string value;
            List<string> values;
            string operation;
            switch (semantics.Kind)
            {
                case SemanticsKind.OneOf:
                    values = candidates.Select(c => ItemValues.ParameterText(c, field, parameter.Type) ?? string.Empty)
                        .Where(t => t.Length > 0 && (parameter.Separator is null || !t.Contains(parameter.Separator, StringComparison.Ordinal)))
                        .Distinct(ci ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal).Take(2).ToList();
                    if (values.Count == 0)
                    {
                        return (CheckStatus.Skip, $"no sampled value of {semantics.Field} can be sent");
                    }

                    value = string.Join(parameter.Separator ?? ",", values);
                    operation = "is one of";
                    break;
                case SemanticsKind.AtLeast:
                    if (ordered is null)
                    {
                        return (CheckStatus.Skip, $"{semantics.Field} is not an ordered enum");
                    }

                    var known = candidates.Select(ItemValues.Text).Where(t => ordered.IndexOf(t) >= 0).OrderBy(t => ordered.IndexOf(t)).ToList();
                    if (known.Count == 0)
                    {
                        return (CheckStatus.Skip, $"no sampled value of {semantics.Field} is a known {ordered.Name}");
                    }

                    value = known[known.Count / 2];
                    values = new List<string> { value };
                    operation = "is at least";
                    break;
                case SemanticsKind.GreaterThan:
                case SemanticsKind.LessThan:
                case SemanticsKind.CursorStart:
                    var sorted = candidates.ToList();
                    sorted.Sort((a, b) => ItemValues.CompareItems(a, b, field) ?? 0);
                    var middle = sorted[sorted.Count / 2];
                    value = ItemValues.ParameterText(middle, field, parameter.Type) ?? ItemValues.Text(middle);
                    values = new List<string> { value };
                    operation = semantics.Kind switch
                    {
                        SemanticsKind.GreaterThan => semantics.Inclusive ? "≥" : ">",
                        SemanticsKind.LessThan => semantics.Inclusive ? "≤" : "<",
                        _ => "≥",
                    };
                    break;
                default:
                    value = ItemValues.ParameterText(candidates[0], field, parameter.Type) ?? ItemValues.Text(candidates[0]);
                    values = new List<string> { value };
                    operation = "=";
                    break;
            }

            bool Satisfies(JsonElement item)
            {
                if (ItemValues.At(item, semantics.Field!) is not { } v)
                {
                    return false;
                }

                switch (semantics.Kind)
                {
                    case SemanticsKind.EqualTo:
                    case SemanticsKind.OneOf:
                        var text = ItemValues.Text(v);
                        return values.Any(x => ItemValues.SameText(text, x, ci));
                    case SemanticsKind.AtLeast:
                        var index = ordered!.IndexOf(ItemValues.Text(v));
                        return index >= 0 && index >= ordered.IndexOf(value);
                    default:
                        var cmp = ItemValues.Compare(v, field, value, parameter.Type);
                        return cmp is { } c && semantics.Kind switch
                        {
                            SemanticsKind.GreaterThan => semantics.Inclusive ? c >= 0 : c > 0,
                            SemanticsKind.LessThan => semantics.Inclusive ? c <= 0 : c < 0,
                            _ => c >= 0,
                        };
                }
            }

            var expectSome = samples.Any(Satisfies);
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, value) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = Items(endpoint, response.Body);
            var bad = items.FindIndex(i => !Satisfies(i));
            if (bad >= 0)
            {
                var actual = ItemValues.At(items[bad], semantics.Field!) is { } v ? ItemValues.Text(v) : "(absent)";
                return (CheckStatus.Fail, $"item {bad} has {semantics.Field}={Shorten(actual)}, which does not satisfy {semantics.Field} {operation} {Shorten(value)}");
            }

            if (expectSome && items.Count == 0)
            {
                return (CheckStatus.Fail, $"no items, though sampled items have {semantics.Field} {operation} {Shorten(value)}");
            }

            return (CheckStatus.Pass, $"{items.Count} items, all with {semantics.Field} {operation} {Shorten(value)}");
        });
    }

    /// <summary>The values at a dotted path of an item; lists anywhere along it are flattened (a filter matches any element).</summary>
    private static List<JsonElement> PathValues(JsonElement item, string path)
    {
        static IEnumerable<JsonElement> Flat(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : new List<JsonElement> { e };
        var current = new List<JsonElement> { item };
        foreach (var step in path.Split('.'))
        {
            current = current.SelectMany(Flat).Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(step, out _)).Select(e => e.GetProperty(step)).ToList();
        }

        return current.SelectMany(Flat).ToList();
    }

    /// <summary>
    /// A SCIM filter: <c>path eq "value"</c> over a text or enum attribute with a value seen in the sampled items;
    /// every returned item has that value there (any element of a list), and some are returned. Then a malformed
    /// filter, which a server must refuse with a 400.
    /// </summary>
    private async Task ScimAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter)
    {
        await CheckAsync($"{endpoint.Name}: filter {parameter.WireName} (scim)", async ctx =>
        {
            var model = ResponseModel(endpoint);
            var samples = _samples.TryGetValue(endpoint.Name, out var s) ? s : new List<JsonElement>();
            if (model is null)
            {
                return (CheckStatus.Skip, "the endpoint has no item model");
            }

            var choice = FilterPaths.For(_contract, model, parameter.Semantics)
                .Where(f => f.Scalar.Kind == TypeKind.String || (f.Scalar.Kind == TypeKind.Enum && _contract.FindEnum(f.Scalar.Name!) is { UnderlyingType: TypeKind.String }))
                .SelectMany(f => samples.SelectMany(i => PathValues(i, f.Path).Where(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0).Select(v => v.GetString()!).Distinct(StringComparer.Ordinal))
                    .GroupBy(v => v, StringComparer.Ordinal)
                    .Select(g => (Path: f, Value: (string?)g.Key, Count: g.Count())))
                // A value that selects some of the sampled items but not all: a server ignoring the filter fails.
                .OrderByDescending(c => c.Count < samples.Count ? c.Count : 0)
                .ThenBy(c => c.Path.Path, StringComparer.Ordinal)
                .FirstOrDefault();
            if (choice.Value is null)
            {
                return (CheckStatus.Skip, "no sampled item has a text value at an attribute the filter may name");
            }

            var ci = parameter.CaseInsensitive || parameter.Semantics.CaseInsensitive || choice.Path.CaseInsensitive;
            var filter = $"{choice.Path.Path} eq {JsonSerializer.Serialize(choice.Value)}";
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, filter) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"{filter}: expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = Items(endpoint, response.Body);
            var bad = items.FindIndex(i => !PathValues(i, choice.Path.Path).Any(v => v.ValueKind == JsonValueKind.String && ItemValues.SameText(v.GetString()!, choice.Value!, ci)));
            if (bad >= 0)
            {
                return (CheckStatus.Fail, $"item {bad} does not have {choice.Path.Path} = {Shorten(choice.Value!)} ({filter})");
            }

            return items.Count == 0
                ? (CheckStatus.Fail, $"no items for {filter}, though a sampled item has that value")
                : (CheckStatus.Pass, $"{items.Count} items, all with {choice.Path.Path} = {Shorten(choice.Value!)}");
        }).ConfigureAwait(false);

        await CheckAsync($"{endpoint.Name}: malformed {parameter.WireName} (scim)", async ctx =>
        {
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, "(\"unbalanced") }).ConfigureAwait(false);
            return response.Code == 400
                ? (CheckStatus.Pass, "a malformed filter is refused with 400")
                : (CheckStatus.Fail, $"a malformed filter was answered {response.Code}, not 400: {Snippet(response.Body)}");
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Keyword search: a word of a sampled item's searched text; every returned item contains it (in any case) in
    /// one of the searched fields, and some are returned.
    /// </summary>
    private Task KeywordsAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        CheckAsync($"{endpoint.Name}: search {parameter.WireName} (keywords)", async ctx =>
        {
            var model = ResponseModel(endpoint);
            var samples = _samples.TryGetValue(endpoint.Name, out var s) ? s : new List<JsonElement>();
            if (model is null)
            {
                return (CheckStatus.Skip, "the endpoint has no item model");
            }

            var fields = FilterPaths.For(_contract, model, parameter.Semantics);
            List<string> Texts(JsonElement item) => fields.SelectMany(f => PathValues(item, f.Path)).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();
            var word = samples.SelectMany(Texts).SelectMany(t => t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(w => w.Length >= 3);
            if (word is null)
            {
                return (CheckStatus.Skip, "no sampled item has a word in the searched fields");
            }

            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, word) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = Items(endpoint, response.Body);
            var bad = items.FindIndex(i => !Texts(i).Any(t => t.Contains(word, StringComparison.OrdinalIgnoreCase)));
            if (bad >= 0)
            {
                return (CheckStatus.Fail, $"item {bad} does not contain '{Shorten(word)}' in {string.Join(", ", fields.Select(f => f.Path))}");
            }

            return items.Count == 0
                ? (CheckStatus.Fail, $"no items for '{Shorten(word)}', though a sampled item contains it")
                : (CheckStatus.Pass, $"{items.Count} items, all containing '{Shorten(word)}'");
        });

    /// <summary>
    /// A relative window (the last N units before now): N is half the age of the oldest sampled item, so
    /// that a server ignoring the parameter returns items outside it. "Now" is the server's <c>Date</c>
    /// header; one unit of slack allows servers that count whole units (calendar days).
    /// </summary>
    private Task WindowAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        CheckAsync($"{endpoint.Name}: filter {parameter.WireName} (relativeWindow)", async ctx =>
        {
            var semantics = parameter.Semantics;
            var model = ResponseModel(endpoint);
            if (model is null || Field(model, semantics.Field!) is not { Type.Kind: TypeKind.Timestamp } field)
            {
                return (CheckStatus.Skip, $"{semantics.Field} is not a timestamp of the item model");
            }

            var unit = semantics.Unit switch
            {
                WindowUnit.Days => TimeSpan.FromDays(1),
                WindowUnit.Hours => TimeSpan.FromHours(1),
                _ => TimeSpan.FromMinutes(1),
            };
            var unitName = semantics.Unit.ToString().ToLowerInvariant();
            DateTime? InstantOf(JsonElement item) => ItemValues.At(item, semantics.Field!) is { } v ? ItemValues.Instant(v, field.Type.Encoding) : null;

            var sampledAt = _sampleTimes.TryGetValue(endpoint.Name, out var t) ? t.UtcDateTime : DateTime.UtcNow;
            var ages = _samples[endpoint.Name].Select(InstantOf).Where(i => i is not null).Select(i => (sampledAt - i!.Value) / unit).ToList();
            if (ages.Count == 0)
            {
                return (CheckStatus.Skip, $"no sampled item has a value at {semantics.Field}");
            }

            var n = Math.Clamp((long)Math.Floor(ages.Max() / 2), parameter.Minimum ?? 1, parameter.Maximum ?? long.MaxValue);
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, Num(n)) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var now = (response.Date ?? DateTimeOffset.UtcNow).UtcDateTime;
            var oldest = now - (unit * (n + 1));
            var items = Items(endpoint, response.Body);
            var bad = items.FindIndex(i => InstantOf(i) is not { } instant || instant < oldest);
            if (bad >= 0)
            {
                var actual = ItemValues.At(items[bad], semantics.Field!) is { } v ? ItemValues.Text(v) : "(absent)";
                return (CheckStatus.Fail, $"item {bad} has {semantics.Field}={Shorten(actual)}, outside the last {n} {unitName} before the server's time {now:u} (one unit of slack)");
            }

            if (items.Count == 0 && ages.Any(a => a < n - 1))
            {
                return (CheckStatus.Fail, $"no items, though sampled items have {semantics.Field} within the last {n - 1} {unitName}");
            }

            return (CheckStatus.Pass, $"{parameter.WireName}={n}: {items.Count} items, all with {semantics.Field} within the last {n} {unitName} before {now:u}");
        });

    /// <summary>A sort-order parameter: each of its values returns the items in its direction of the field.</summary>
    private Task SortOrderAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        CheckAsync($"{endpoint.Name}: order {parameter.WireName} (sortOrder)", async ctx =>
        {
            var semantics = parameter.Semantics;
            var fieldName = semantics.Field ?? endpoint.Order?.Field;
            var model = ResponseModel(endpoint);
            if (fieldName is null || model is null || Field(model, fieldName) is not { } field || semantics.Ascending is null || semantics.Descending is null)
            {
                return (CheckStatus.Skip, "the contract names no field or no ascending/descending values for it");
            }

            var seen = new List<string>();
            foreach (var (value, ascending) in new[] { (semantics.Ascending, true), (semantics.Descending, false) })
            {
                var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, value) }).ConfigureAwait(false);
                if (response.Code != 200)
                {
                    return (CheckStatus.Fail, $"{parameter.WireName}={value}: expected 200, got {response.Code}: {Snippet(response.Body)}");
                }

                var items = Items(endpoint, response.Body);
                if (OutOfOrder(items, fieldName, field, ascending) is { } problem)
                {
                    return (CheckStatus.Fail, $"{parameter.WireName}={value}: {problem}");
                }

                seen.Add($"{parameter.WireName}={value}: {items.Count} items {(ascending ? "ascending" : "descending")}");
            }

            return (CheckStatus.Pass, $"{string.Join("; ", seen)} by {fieldName}");
        });

    /// <summary>
    /// A newest-N parameter: N items (when the sample holds at least N), the last N of the natural order
    /// (none of them older than the N-th newest sampled item), in reverse.
    /// </summary>
    private Task NewestAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        CheckAsync($"{endpoint.Name}: newest {parameter.WireName} (newestN)", async ctx =>
        {
            var fieldName = parameter.Semantics.Field ?? endpoint.Order?.Field;
            var model = ResponseModel(endpoint);
            if (fieldName is null || model is null || Field(model, fieldName) is not { } field)
            {
                return (CheckStatus.Skip, "the contract names no field or natural order that tells the newest");
            }

            var ascending = endpoint.Order?.Direction != SortDirection.Descending;
            var n = (int)Math.Clamp(3, parameter.Minimum ?? 1, parameter.Maximum ?? int.MaxValue);
            var sampled = _samples[endpoint.Name].Select(i => ItemValues.At(i, fieldName)).Where(v => v is not null).Select(v => v!.Value).ToList();
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, Num(n)) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = Items(endpoint, response.Body);
            if (items.Count > n || (sampled.Count >= n && items.Count != n))
            {
                return (CheckStatus.Fail, $"{parameter.WireName}={n}: {items.Count} items, expected {n}");
            }

            if (OutOfOrder(items, fieldName, field, !ascending) is { } problem)
            {
                return (CheckStatus.Fail, $"{parameter.WireName}={n}: not newest first: {problem}");
            }

            if (sampled.Count >= n)
            {
                // Sorted newest first: the n-th is a floor that the true newest n all reach.
                sampled.Sort((a, b) => (ItemValues.CompareItems(b, a, field) ?? 0) * (ascending ? 1 : -1));
                var floor = sampled[n - 1];
                var older = items.FindIndex(i => ItemValues.At(i, fieldName) is not { } v || (ItemValues.CompareItems(v, floor, field) ?? 0) * (ascending ? 1 : -1) < 0);
                if (older >= 0)
                {
                    return (CheckStatus.Fail, $"{parameter.WireName}={n}: item {older} is older by {fieldName} than {n} sampled items ({ItemValues.Text(floor)})");
                }
            }

            return (CheckStatus.Pass, $"{parameter.WireName}={n}: {items.Count} items, the newest by {fieldName}, newest first");
        });

    /// <summary>An offset parameter: skipping one item returns the sample shifted by one.</summary>
    private Task OffsetAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        CheckAsync($"{endpoint.Name}: offset {parameter.WireName} (offset)", async ctx =>
        {
            var samples = _samples[endpoint.Name];
            if (samples.Count < 3)
            {
                return (CheckStatus.Skip, $"the default request returned {samples.Count} items; 3 are needed");
            }

            var identity = IdentityField(endpoint);
            var parameters = new List<(string, string)> { (parameter.WireName, "1") };
            var size = PageSizeParameter(endpoint);
            if (size is not null)
            {
                parameters.Add((size.WireName, "2"));
            }

            var response = await ctx.SendAsync(endpoint, pathValues, parameters).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var got = Items(endpoint, response.Body).Select(i => Identity(i, identity)).ToList();
            var expected = samples.Skip(1).Select(i => Identity(i, identity)).Take(size is null ? int.MaxValue : 2).ToList();
            var compared = Math.Min(got.Count, expected.Count);
            if (got.Count == 0 || !got.Take(compared).SequenceEqual(expected.Take(compared), StringComparer.Ordinal))
            {
                return (CheckStatus.Fail, $"{parameter.WireName}=1 returned {(got.Count == 0 ? "nothing" : Shorten(got[0]))} first; the default request's second item is {Shorten(expected[0])}");
            }

            return (CheckStatus.Pass, $"{parameter.WireName}=1: {got.Count} items, the default request's from its second on ({identity ?? "whole item"})");
        });

    /// <summary>Null when the items are in the direction of the field, else where they are not.</summary>
    private static string? OutOfOrder(List<JsonElement> items, string fieldName, FieldSpec field, bool ascending)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (ItemValues.At(items[i - 1], fieldName) is { } a && ItemValues.At(items[i], fieldName) is { } b
                && ItemValues.CompareItems(a, b, field) is { } cmp && (ascending ? cmp > 0 : cmp < 0))
            {
                return $"items {i - 1} and {i} are not in {(ascending ? "ascending" : "descending")} order of {fieldName} ({ItemValues.Text(a)}, {ItemValues.Text(b)})";
            }
        }

        return null;
    }

    private Task BeyondMaximumAsync(EndpointSpec endpoint, Dictionary<string, string> pathValues) =>
        CheckAsync($"{endpoint.Name}: page size above maximum", async ctx =>
        {
            var parameter = PageSizeParameter(endpoint);
            if (parameter?.Maximum is not { } max)
            {
                return (CheckStatus.Skip, "the contract declares no maximum page size");
            }

            if (!_options.NegativeChecks)
            {
                return (CheckStatus.Skip, "requests that must be refused are turned off");
            }

            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, (max + 1).ToString(CultureInfo.InvariantCulture)) }).ConfigureAwait(false);
            if (response.Code is < 400 or >= 500)
            {
                return (CheckStatus.Fail, $"{parameter.WireName}={max + 1} (maximum {max}): expected 4xx, got {response.Code}");
            }

            return ErrorBody(endpoint, response, $"{parameter.WireName}={max + 1} rejected with {response.Code}");
        });

    // ---------------------------------------------------------------- counts and items

    private async Task CountChecksAsync(EndpointSpec endpoint)
    {
        await CheckAsync($"{endpoint.Name}: default request", async ctx =>
        {
            var response = await ctx.SendAsync(endpoint, new Dictionary<string, string>(), Array.Empty<(string, string)>()).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            if (ctx.LastErrors.Count > 0)
            {
                return (CheckStatus.Fail, $"the body does not match the contract: {string.Join("; ", ctx.LastErrors.Take(3))}");
            }

            var count = Count(endpoint, response.Body);
            if (count is null or < 0)
            {
                return (CheckStatus.Fail, "the count is not a non-negative integer");
            }

            if (endpoint.Response.Cap is { } cap && count > cap)
            {
                return (CheckStatus.Fail, $"count {count} is above the cap {cap}");
            }

            return (CheckStatus.Pass, $"count = {count}");
        }).ConfigureAwait(false);

        await CheckAsync($"{endpoint.Name}: count equals list length", async ctx =>
        {
            var list = _contract.Endpoints
                .Where(e => e.Response.Kind == ResponseKind.List && _samples.ContainsKey(e.Name) && !HasPathParameters(e))
                .OrderByDescending(e => e.Parameters.Count(p => endpoint.FindParameter(p.WireName) is not null))
                .FirstOrDefault();
            var model = list is null ? null : ResponseModel(list);
            if (list is null || model is null)
            {
                return (CheckStatus.Skip, "no sampled list endpoint to compare with");
            }

            var identity = IdentityField(list);
            var samples = _samples[list.Name];
            (ParameterSpec Parameter, string Value, int Frequency)? best = null;
            foreach (var parameter in endpoint.Parameters)
            {
                if (parameter.Semantics.Kind is not (SemanticsKind.EqualTo or SemanticsKind.OneOf) || parameter.Semantics.Field is null
                    || list.FindParameter(parameter.WireName) is null || Field(model, parameter.Semantics.Field) is not { } field)
                {
                    continue;
                }

                var texts = samples.Select(i => ItemValues.At(i, parameter.Semantics.Field) is { } v ? ItemValues.ParameterText(v, field, parameter.Type) : null)
                    .Where(t => !string.IsNullOrEmpty(t) && (parameter.Separator is null || !t.Contains(parameter.Separator, StringComparison.Ordinal)))
                    .ToList();
                if (texts.Count == 0)
                {
                    continue;
                }

                var rarest = texts.GroupBy(t => t, StringComparer.Ordinal).OrderBy(g => g.Count()).First();
                var frequency = parameter.Semantics.Field == identity ? 0 : rarest.Count();
                if (best is null || frequency < best.Value.Frequency)
                {
                    best = (parameter, rarest.Key!, frequency);
                }
            }

            if (best is not { } chosen)
            {
                return (CheckStatus.Skip, "no equals/oneOf filter shared with a list endpoint has a sampled value");
            }

            var sizeParameter = PageSizeParameter(list);
            var size = sizeParameter?.Maximum is { } max ? (int)Math.Min(max, 1000) : sizeParameter?.Default is { } d ? int.Parse(d, CultureInfo.InvariantCulture) : int.MaxValue;
            var listParameters = new List<(string, string)> { (chosen.Parameter.WireName, chosen.Value) };
            if (sizeParameter is not null && size != int.MaxValue)
            {
                listParameters.Add((sizeParameter.WireName, Num(size)));
            }

            var listResponse = await ctx.SendAsync(list, new Dictionary<string, string>(), listParameters).ConfigureAwait(false);
            if (listResponse.Code != 200)
            {
                return (CheckStatus.Fail, $"{list.Name}: expected 200, got {listResponse.Code}");
            }

            var n = Items(list, listResponse.Body).Count;
            var countResponse = await ctx.SendAsync(endpoint, new Dictionary<string, string>(), new[] { (chosen.Parameter.WireName, chosen.Value) }).ConfigureAwait(false);
            if (countResponse.Code != 200 || Count(endpoint, countResponse.Body) is not { } count)
            {
                return (CheckStatus.Fail, $"expected 200 with a count, got {countResponse.Code}");
            }

            var cap = endpoint.Response.Cap;
            if (n < size)
            {
                var expected = cap is { } c ? Math.Min(n, c) : n;
                return count == expected
                    ? (CheckStatus.Pass, $"{chosen.Parameter.WireName}={Shorten(chosen.Value)}: count {count} = {n} listed")
                    : (CheckStatus.Fail, $"{chosen.Parameter.WireName}={Shorten(chosen.Value)}: count {count}, but {list.Name} lists {n}{(cap is null ? string.Empty : $" (cap {cap})")}");
            }

            return count >= n || count == cap
                ? (CheckStatus.Pass, $"{chosen.Parameter.WireName}={Shorten(chosen.Value)}: count {count} ≥ a full page of {n}")
                : (CheckStatus.Fail, $"{chosen.Parameter.WireName}={Shorten(chosen.Value)}: count {count} < a full page of {n}");
        }).ConfigureAwait(false);
    }

    private async Task ItemChecksAsync(EndpointSpec endpoint)
    {
        var resolved = ResolvePathValuesWithItem(endpoint);
        await CheckAsync($"{endpoint.Name}: sampled item by id", async ctx =>
        {
            if (resolved is not { } r)
            {
                return (CheckStatus.Skip, "no sampled item supplies its path parameters");
            }

            var response = await ctx.SendAsync(endpoint, r.Values, Array.Empty<(string, string)>()).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            if (ctx.LastErrors.Count > 0)
            {
                return (CheckStatus.Fail, $"the body does not match the contract: {string.Join("; ", ctx.LastErrors.Take(3))}");
            }

            var items = Items(endpoint, response.Body);
            if (items.Count != 1)
            {
                return (CheckStatus.Fail, "the body holds no item");
            }

            var got = JsonNode.Parse(items[0].GetRawText());
            var sample = JsonNode.Parse(r.Item.GetRawText());
            return JsonNode.DeepEquals(got, sample)
                ? (CheckStatus.Pass, "the item equals the one listed")
                : (CheckStatus.Fail, "the item differs from the one listed: " + Snippet(response.Body));
        }).ConfigureAwait(false);

        await CheckAsync($"{endpoint.Name}: unknown id", async ctx =>
        {
            if (!_contract.ErrorsFor(endpoint).Any(e => e.Status == 404))
            {
                return (CheckStatus.Skip, "the contract declares no 404 for it");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var parameter in endpoint.Parameters.Where(p => p.In == ParameterLocation.Path))
            {
                values[parameter.WireName] = parameter.Type.Kind switch
                {
                    TypeKind.Int32 => Num(int.MaxValue - 1),
                    TypeKind.Int64 => Num((1L << 53) - 2), // beyond any real id, yet exact in JavaScript tools (Prism)
                    _ => "00000000-0000-4000-8000-00000000beef",
                };
            }

            var response = await ctx.SendAsync(endpoint, values, Array.Empty<(string, string)>()).ConfigureAwait(false);
            return response.Code == 404
                ? ErrorBody(endpoint, response, "404 as declared")
                : (CheckStatus.Fail, $"expected 404, got {response.Code}");
        }).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- auth and drift

    private Task MissingCredentialAsync(EndpointSpec endpoint) =>
        CheckAsync($"{endpoint.Name}: missing credential", async ctx =>
        {
            if (endpoint.Security.Count == 0)
            {
                return (CheckStatus.Skip, "the endpoint needs no credential");
            }

            if (!_options.NegativeChecks)
            {
                return (CheckStatus.Skip, "requests that must be refused are turned off");
            }

            var pathValues = ResolvePathValues(endpoint);
            if (pathValues is null)
            {
                return (CheckStatus.Skip, "no sampled item supplies its path parameters");
            }

            var response = await ctx.SendAsync(endpoint, pathValues, Array.Empty<(string, string)>(), authenticate: false).ConfigureAwait(false);
            return response.Code == 401
                ? ErrorBody(endpoint, response, "401 without a credential")
                : (CheckStatus.Fail, $"expected 401 without a credential, got {response.Code}");
        });

    private void DriftCheck(EndpointSpec endpoint)
    {
        var name = $"{endpoint.Name}: drift";
        if (!_drift.TryGetValue(endpoint.Name, out var drift) || drift.Responses == 0)
        {
            Add(name, CheckStatus.Skip, "no successful response to inspect", Array.Empty<string>(), TimeSpan.Zero);
            return;
        }

        var parts = new List<string>();
        if (drift.Errors.Count > 0)
        {
            parts.Add("not as the contract models: " + string.Join("; ", drift.Errors.Take(5).Select(e => e.Value)));
        }

        if (drift.Undeclared.Count > 0)
        {
            parts.Add("properties the model lacks: " + string.Join(", ", drift.Undeclared.Keys.Take(8)));
        }

        if (drift.UnknownEnumValues.Count > 0)
        {
            parts.Add("enum values the contract does not know: " + string.Join("; ", drift.UnknownEnumValues.Take(5).Select(e => $"{e.Key} = {string.Join(", ", e.Value)}")));
        }

        if (parts.Count == 0)
        {
            Add(name, CheckStatus.Pass, $"{drift.Responses} responses, nothing beyond the contract", Array.Empty<string>(), TimeSpan.Zero);
            return;
        }

        var status = drift.Errors.Count > 0 || _options.FailOnDrift ? CheckStatus.Fail : CheckStatus.Warn;
        Add(name, status, $"over {drift.Responses} responses: {string.Join(" | ", parts)}", Array.Empty<string>(), TimeSpan.Zero);
    }

    private (CheckStatus, string) ErrorBody(EndpointSpec endpoint, VerifyResponse response, string passReason)
    {
        var error = _contract.ErrorsFor(endpoint).FirstOrDefault(e => e.Status == response.Code);
        if (error is null)
        {
            return (CheckStatus.Pass, passReason + " (no body declared for it)");
        }

        var problems = JsonConformance.CheckError(_contract, error, response.Body).Where(p => p.Severity == Spec.Diagnostics.SpecSeverity.Error).ToList();
        return problems.Count == 0
            ? (CheckStatus.Pass, passReason + (error.Model is null ? string.Empty : $", body is a {error.Model}"))
            : (CheckStatus.Fail, $"{response.Code} as expected, but its body does not match {error.Model ?? "JSON"}: {problems[0].Message}");
    }

    // ---------------------------------------------------------------- helpers

    private async Task CheckAsync(string name, Func<CheckContext, Task<(CheckStatus Status, string Reason)>> body)
    {
        var watch = Stopwatch.StartNew();
        var ctx = new CheckContext(this);
        CheckStatus status;
        string reason;
        try
        {
            (status, reason) = await body(ctx).ConfigureAwait(false);
        }
        catch (BudgetExhaustedException ex)
        {
            (status, reason) = (CheckStatus.Skip, ex.Message + " (raise --max-requests)");
        }
        catch (HttpRequestException ex)
        {
            (status, reason) = (CheckStatus.Fail, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_cancellationToken.IsCancellationRequested)
        {
            (status, reason) = (CheckStatus.Fail, $"internal error of the check ({ex.GetType().Name}: {ex.Message})");
        }

        Add(name, status, reason, ctx.Requests, watch.Elapsed);
    }

    private void Add(string name, CheckStatus status, string reason, IReadOnlyList<string> requests, TimeSpan duration) =>
        _results.Add(new CheckResult(name, status, _session.Redact(reason), requests.Select(_session.Redact).ToList(), duration));

    /// <summary>The next link or token a next-link page names: the RFC 8288 header entry with the contract's relation, or the body field.</summary>
    private static string? NextLinkOf(NextLinkSpec named, VerifyResponse response)
    {
        if (named.Header is { } header)
        {
            if (!response.Headers.TryGetValue(header, out var values))
            {
                return null;
            }

            foreach (var value in values)
            {
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(value, "<([^>]*)>((?:\\s*;\\s*[^;,=]+(?:=(?:\"(?:[^\"\\\\]|\\\\.)*\"|[^;,]*))?)*)"))
                {
                    var rel = System.Text.RegularExpressions.Regex.Match(m.Groups[2].Value, "(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;,\\s]+))");
                    var rels = rel.Success ? (rel.Groups[1].Success ? rel.Groups[1].Value : rel.Groups[2].Value) : string.Empty;
                    if (rels.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(r => string.Equals(r, named.Rel, StringComparison.OrdinalIgnoreCase)))
                    {
                        return m.Groups[1].Value.Trim();
                    }
                }
            }

            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var at = doc.RootElement;
            foreach (var step in named.Field!.Split('.'))
            {
                if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(step, out at))
                {
                    return null;
                }
            }

            return at.ValueKind == JsonValueKind.String && at.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class CheckContext
    {
        private readonly VerifierRun _run;

        public CheckContext(VerifierRun run) => _run = run;

        public List<string> Requests { get; } = new();

        public IReadOnlyList<string> LastErrors { get; private set; } = Array.Empty<string>();

        public async Task<VerifyResponse> SendAsync(EndpointSpec endpoint, IReadOnlyDictionary<string, string> pathValues, IReadOnlyList<(string Name, string Value)> parameters, bool authenticate = true, Uri? link = null)
        {
            var response = await _run._session.SendAsync(endpoint, pathValues, parameters, authenticate, _run._cancellationToken, link).ConfigureAwait(false);
            Requests.Add(response.RequestLine);
            LastErrors = response.Code == 200 && _run._drift.TryGetValue(endpoint.Name, out var drift)
                ? drift.Add(endpoint, response.Body)
                : Array.Empty<string>();
            return response;
        }
    }

    private Dictionary<string, string>? ResolvePathValues(EndpointSpec endpoint) =>
        HasPathParameters(endpoint) ? ResolvePathValuesWithItem(endpoint)?.Values : new Dictionary<string, string>(StringComparer.Ordinal);

    private (Dictionary<string, string> Values, JsonElement Item)? ResolvePathValuesWithItem(EndpointSpec endpoint)
    {
        var pathParameters = endpoint.Parameters.Where(p => p.In == ParameterLocation.Path).ToList();
        if (pathParameters.Any(p => p.Semantics.Kind != SemanticsKind.EqualTo || p.Semantics.Field is null))
        {
            return null;
        }

        var modelName = endpoint.Response.Model;
        foreach (var source in _contract.Endpoints.Where(e => e.Response.Kind == ResponseKind.List && e.Response.Model == modelName && !HasPathParameters(e)))
        {
            if (!_samples.TryGetValue(source.Name, out var items))
            {
                continue;
            }

            foreach (var item in items)
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var parameter in pathParameters)
                {
                    if (ItemValues.At(item, parameter.Semantics.Field!) is { } v && ItemValues.Text(v) is { Length: > 0 } text && !text.Contains('/', StringComparison.Ordinal))
                    {
                        values[parameter.WireName] = text;
                    }
                }

                if (values.Count == pathParameters.Count)
                {
                    return (values, item);
                }
            }
        }

        return null;
    }

    private List<JsonElement> Items(EndpointSpec endpoint, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (endpoint.Response.Envelope is { } envelope)
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(envelope, out root))
                {
                    return new List<JsonElement>();
                }
            }

            return root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Select(e => e.Clone()).ToList(),
                JsonValueKind.Object => new List<JsonElement> { root.Clone() },
                _ => new List<JsonElement>(),
            };
        }
        catch (JsonException)
        {
            return new List<JsonElement>();
        }
    }

    private static long? Count(EndpointSpec endpoint, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (endpoint.Response.Envelope is { } envelope && (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(envelope, out root)))
            {
                return null;
            }

            return root.ValueKind == JsonValueKind.Number && root.TryGetInt64(out var n) ? n : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ModelSpec? ResponseModel(EndpointSpec endpoint) => endpoint.Response.Model is { } name ? _contract.FindModel(name) : null;

    private static string ResponseModelName(EndpointSpec endpoint) => endpoint.Response.Model ?? endpoint.Response.Kind.ToString();

    private FieldSpec? Field(ModelSpec model, string path) => ItemValues.Field(_contract, model, path);

    /// <summary>True when the endpoint accepts the scheme; a refreshToken scheme's access token travels as bearer.</summary>
    private bool Accepts(EndpointSpec endpoint, AuthSchemeSpec scheme) =>
        endpoint.Security.Contains(scheme.Name)
        || (scheme.Kind == AuthKind.RefreshToken && endpoint.Security.Any(name => _contract.FindScheme(name) is { Kind: AuthKind.Bearer }));

    private static bool HasPathParameters(EndpointSpec endpoint) => endpoint.Parameters.Any(p => p.In == ParameterLocation.Path);

    private static ParameterSpec? PageSizeParameter(EndpointSpec endpoint) =>
        (endpoint.Pagination?.PageSizeParameter is { } name ? endpoint.FindParameter(name) : null)
        ?? endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.PageSize);

    private string? IdentityField(EndpointSpec endpoint) =>
        endpoint.Sync?.DedupBy
        ?? (endpoint.Pagination is { Strategy: PaginationStrategy.Cursor } p ? p.CursorField : null)
        ?? (_contract.Mock?.Id is { } id && ResponseModel(endpoint)?.FindField(id.Field) is not null ? id.Field : null);

    private static string Identity(JsonElement item, string? field) =>
        field is not null && ItemValues.At(item, field) is { } v ? ItemValues.Text(v) : item.GetRawText();

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string JsonCamel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 59) + "…";

    private static string Snippet(string body)
    {
        var oneLine = string.Join(" ", body.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        return oneLine.Length <= 160 ? oneLine : oneLine.Substring(0, 159) + "…";
    }
}
