using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>A request without a credential is 401 with the contract's error body.</summary>
internal static class MissingCredentialCheck
{
    internal static Task RunAsync(VerifierRun run, EndpointSpec endpoint) =>
        run.CheckAsync($"{endpoint.Name}: missing credential", async ctx =>
        {
            if (endpoint.Security.Count == 0)
            {
                return (CheckStatus.Skip, "the endpoint needs no credential");
            }

            if (!run.Options.NegativeChecks)
            {
                return (CheckStatus.Skip, "requests that must be refused are turned off");
            }

            var pathValues = run.ResolvePathValues(endpoint);
            if (pathValues is null)
            {
                return (CheckStatus.Skip, "no sampled item supplies its path parameters");
            }

            var response = await ctx.SendAsync(endpoint, pathValues, Array.Empty<(string, string)>(), authenticate: false).ConfigureAwait(false);
            return response.Code == 401
                ? run.ErrorBody(endpoint, response, "401 without a credential")
                : (CheckStatus.Fail, $"expected 401 without a credential, got {response.Code}");
        });
}
