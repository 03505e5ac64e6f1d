using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify.Checks;

/// <summary>What the server sent beyond the contract over the run: errors, undeclared properties, unknown enum values.</summary>
internal static class DriftCheck
{
    internal static void Run(VerifierRun run, EndpointSpec endpoint)
    {
        var name = $"{endpoint.Name}: drift";
        if (!run.Drift.TryGetValue(endpoint.Name, out var drift) || drift.Responses == 0)
        {
            run.Add(name, CheckStatus.Skip, "no successful response to inspect", Array.Empty<string>(), TimeSpan.Zero);
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
            run.Add(name, CheckStatus.Pass, $"{drift.Responses} responses, nothing beyond the contract", Array.Empty<string>(), TimeSpan.Zero);
            return;
        }

        var status = drift.Errors.Count > 0 || run.Options.FailOnDrift ? CheckStatus.Fail : CheckStatus.Warn;
        run.Add(name, status, $"over {drift.Responses} responses: {string.Join(" | ", parts)}", Array.Empty<string>(), TimeSpan.Zero);
    }
}
