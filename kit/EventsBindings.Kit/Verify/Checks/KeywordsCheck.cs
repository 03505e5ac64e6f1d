using System.Text.Json;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>A keyword-search parameter: terms from the sample return items that contain them.</summary>
internal static class KeywordsCheck
{
    /// <summary>
    /// Keyword search: a word of a sampled item's searched text; every returned item contains it (in any case) in
    /// one of the searched fields, and some are returned.
    /// </summary>
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint, Dictionary<string, string> pathValues, ParameterSpec parameter) =>
        run.CheckAsync($"{endpoint.Name}: search {parameter.WireName} (keywords)", async ctx =>
        {
            var model = run.ResponseModel(endpoint);
            var samples = run.Samples.TryGetValue(endpoint.Name, out var s) ? s : new List<JsonElement>();
            if (model is null)
            {
                return (CheckStatus.Skip, "the endpoint has no item model");
            }

            var fields = FilterPaths.For(run.Contract, model, parameter.Semantics);
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

            var items = run.Items(endpoint, response.Body);
            var bad = items.FindIndex(i => !Texts(i).Any(t => t.Contains(word, StringComparison.OrdinalIgnoreCase)));
            if (bad >= 0)
            {
                return (CheckStatus.Fail, $"item {bad} does not contain '{Shorten(word)}' in {string.Join(", ", fields.Select(f => f.Path))}");
            }

            return items.Count == 0
                ? (CheckStatus.Fail, $"no items for '{Shorten(word)}', though a sampled item contains it")
                : (CheckStatus.Pass, $"{items.Count} items, all containing '{Shorten(word)}'");
        });
}
