using System.Text.Json.Nodes;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>The checks of an item endpoint: an id from the sample is found, an unknown one is its declared error.</summary>
internal static class ItemChecks
{
    internal static async Task RunAsync(VerifierRun run, EndpointSpec endpoint)
    {
        var resolved = run.ResolvePathValuesWithItem(endpoint);
        await run.CheckAsync($"{endpoint.Name}: sampled item by id", async ctx =>
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

            var items = run.Items(endpoint, response.Body);
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

        await run.CheckAsync($"{endpoint.Name}: unknown id", async ctx =>
        {
            if (!run.Contract.ErrorsFor(endpoint).Any(e => e.Status == 404))
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
                ? run.ErrorBody(endpoint, response, "404 as declared")
                : (CheckStatus.Fail, $"expected 404, got {response.Code}");
        }).ConfigureAwait(false);
    }
}
