using System.Text.Json;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>A filter-expression (scim) parameter: expressions from the sample select what they say, and a malformed one is refused.</summary>
internal static class ExpressionFilterCheck
{
    /// <summary>
    /// A SCIM filter: <c>path eq "value"</c> over a text or enum attribute with a value seen in the sampled items;
    /// every returned item has that value there (any element of a list), and some are returned. Then a malformed
    /// filter, which a server must refuse with a 400.
    /// </summary>
    internal static async Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter)
    {
        await run.CheckAsync($"{endpoint.Name}: filter {parameter.WireName} (scim)", async ctx =>
        {
            var model = run.ResponseModel(endpoint);
            var samples = run.Samples.TryGetValue(endpoint.Name, out var s) ? s : new List<JsonElement>();
            if (model is null)
            {
                return (CheckStatus.Skip, "the endpoint has no item model");
            }

            var choice = FilterPaths.For(run.Contract, model, parameter.Semantics)
                .Where(f => f.Scalar.Kind == TypeKind.String || (f.Scalar.Kind == TypeKind.Enum && run.Contract.FindEnum(f.Scalar.Name!) is { UnderlyingType: TypeKind.String }))
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

            var ci = parameter.ExpressionIgnoresCase() || choice.Path.CaseInsensitive;
            var filter = $"{choice.Path.Path} eq {JsonSerializer.Serialize(choice.Value)}";
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, filter) }).ConfigureAwait(false);
            if (response.Code != 200)
            {
                return (CheckStatus.Fail, $"{filter}: expected 200, got {response.Code}: {Snippet(response.Body)}");
            }

            var items = run.Items(endpoint, response.Body);
            var bad = items.FindIndex(i => !PathValues(i, choice.Path.Path).Any(v => v.ValueKind == JsonValueKind.String && ItemValues.SameText(v.GetString()!, choice.Value!, ci)));
            if (bad >= 0)
            {
                return (CheckStatus.Fail, $"item {bad} does not have {choice.Path.Path} = {Shorten(choice.Value!)} ({filter})");
            }

            return items.Count == 0
                ? (CheckStatus.Fail, $"no items for {filter}, though a sampled item has that value")
                : (CheckStatus.Pass, $"{items.Count} items, all with {choice.Path.Path} = {Shorten(choice.Value!)}");
        }).ConfigureAwait(false);

        await run.CheckAsync($"{endpoint.Name}: malformed {parameter.WireName} (scim)", async ctx =>
        {
            var response = await ctx.SendAsync(endpoint, pathValues, new[] { (parameter.WireName, "(\"unbalanced") }).ConfigureAwait(false);
            return response.Code == 400
                ? (CheckStatus.Pass, "a malformed filter is refused with 400")
                : (CheckStatus.Fail, $"a malformed filter was answered {response.Code}, not 400: {Snippet(response.Body)}");
        }).ConfigureAwait(false);
    }
}
