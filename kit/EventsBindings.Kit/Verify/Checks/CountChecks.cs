using System.Globalization;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>The checks of a count endpoint: its default, its filters, and its cap.</summary>
internal static class CountChecks
{
    internal static async Task RunAsync(VerifierRun run, EndpointSpec endpoint)
    {
        await run.CheckAsync($"{endpoint.Name}: default request", async ctx =>
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

        await run.CheckAsync($"{endpoint.Name}: count equals list length", async ctx =>
        {
            var list = run.Contract.Endpoints
                .Where(e => e.Response.Kind == ResponseKind.List && run.Samples.ContainsKey(e.Name) && !HasPathParameters(e))
                .OrderByDescending(e => e.Parameters.Count(p => endpoint.FindParameter(p.WireName) is not null))
                .FirstOrDefault();
            var model = list is null ? null : run.ResponseModel(list);
            if (list is null || model is null)
            {
                return (CheckStatus.Skip, "no sampled list endpoint to compare with");
            }

            var identity = run.IdentityField(list);
            var samples = run.Samples[list.Name];
            (ParameterSpec Parameter, string Value, int Frequency)? best = null;
            foreach (var parameter in endpoint.Parameters)
            {
                if (parameter.Semantics.Kind is not (SemanticsKind.EqualTo or SemanticsKind.OneOf) || parameter.Semantics.Field is null
                    || list.FindParameter(parameter.WireName) is null || run.Field(model, parameter.Semantics.Field) is not { } field)
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

            var n = run.Items(list, listResponse.Body).Count;
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
}
