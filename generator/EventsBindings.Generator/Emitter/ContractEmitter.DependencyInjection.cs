using EventsBindings.Generator.Model;

namespace EventsBindings.Generator.Emitter;

internal static partial class ContractEmitter
{
    /// <summary>
    /// The <c>Add&lt;Api&gt;Client</c> extensions: thin overloads over the runtime's <c>EventsClientServices</c>,
    /// which builds options and credential once per registration. Only the names the generator itself gives
    /// (client, options, server enum) appear here; nothing of the API.
    /// </summary>
    private static void EmitDependencyInjection(SourceWriter w, ContractEmit contract)
    {
        var client = $"global::{contract.Namespace}.{contract.ClientName}";
        var options = client + "Options";
        var server = $"global::{contract.Namespace}.{contract.ApiName}Server";
        var templated = contract.Servers.Any(s => s.Variables.Count > 0);
        const string Services = "global::Microsoft.Extensions.DependencyInjection.IServiceCollection";
        const string Builder = "global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder";
        const string Configuration = "global::Microsoft.Extensions.Configuration.IConfiguration";
        var credential = $"{Runtime}.EventsCredential";
        var factory = $"global::System.Func<global::System.IServiceProvider, {credential}>";
        var configure = $"global::System.Action<{options}>? configure = null";
        var add = "Add" + contract.ClientName;
        const string Returns = "/// <returns>The builder of the registration's HTTP client, to add handlers or configure the primary handler.</returns>";
        const string ServicesParam = "/// <param name=\"services\">The service collection.</param>";
        const string ConfigureParam = "/// <param name=\"configure\">Configures the options (once per registration, when its first client is created).</param>";
        const string NameParam = "/// <param name=\"name\">The registration's name (a tenant, an account); resolve it with <see cref=\"global::EventsBindings.Runtime.IEventsClientFactory{TClient}\"/> or as a keyed service.</param>";
        w.Indent();
        w.Line($"/// <summary>Registers the <see cref=\"{client}\"/> on IHttpClientFactory: options and credential are built once per registration and shared by its clients (one access-token cache).</summary>");
        w.Line(GeneratedCode);
        w.Open($"public static class {contract.ApiName}ServiceCollectionExtensions");

        w.Line($"/// <summary>Registers <see cref=\"{client}\"/> as a typed HTTP client.</summary>");
        w.Line(ServicesParam);
        w.Line("/// <param name=\"credential\">The credential (read per request, so it may rotate).</param>");
        w.Line(ConfigureParam);
        w.Line(Returns);
        w.Open($"public static {Builder} {add}(this {Services} services, {credential} credential, {configure})");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(credential);");
        w.Line("return Register(services, string.Empty, _ => credential, configure);");
        w.Close();
        w.Line();

        w.Line($"/// <summary>Registers <see cref=\"{client}\"/> as a typed HTTP client whose credential comes from the service provider.</summary>");
        w.Line(ServicesParam);
        w.Line("/// <param name=\"credentialFactory\">Creates the credential (once per registration).</param>");
        w.Line(ConfigureParam);
        w.Line(Returns);
        w.Line($"public static {Builder} {add}(this {Services} services, {factory} credentialFactory, {configure}) =>");
        w.Line("    Register(services, string.Empty, credentialFactory, configure);");
        w.Line();

        w.Line($"/// <summary>Registers <see cref=\"{client}\"/> from configuration: Endpoint (or BaseUrl), Server, ApiKey or RefreshToken, and the options keys <see cref=\"global::EventsBindings.Runtime.EventsClientConfiguration\"/> lists.</summary>");
        w.Line(ServicesParam);
        w.Line("/// <param name=\"configuration\">The client's section, e.g. <c>configuration.GetSection(\"" + contract.ApiName + "\")</c>.</param>");
        w.Line("/// <param name=\"configure\">Configures the options after binding (once per registration).</param>");
        w.Line(Returns);
        w.Line($"public static {Builder} {add}(this {Services} services, {Configuration} configuration, {configure}) =>");
        w.Line("    RegisterConfigured(services, string.Empty, configuration, configure);");
        w.Line();

        w.Line($"/// <summary>Registers a named <see cref=\"{client}\"/> (one of several tenants of the API).</summary>");
        w.Line(ServicesParam);
        w.Line(NameParam);
        w.Line("/// <param name=\"credential\">The credential (read per request, so it may rotate).</param>");
        w.Line(ConfigureParam);
        w.Line(Returns);
        w.Open($"public static {Builder} {add}(this {Services} services, string name, {credential} credential, {configure})");
        w.Line("global::System.ArgumentException.ThrowIfNullOrEmpty(name);");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(credential);");
        w.Line("return Register(services, name, _ => credential, configure);");
        w.Close();
        w.Line();

        w.Line($"/// <summary>Registers a named <see cref=\"{client}\"/> whose credential comes from the service provider.</summary>");
        w.Line(ServicesParam);
        w.Line(NameParam);
        w.Line("/// <param name=\"credentialFactory\">Creates the credential (once per registration).</param>");
        w.Line(ConfigureParam);
        w.Line(Returns);
        w.Open($"public static {Builder} {add}(this {Services} services, string name, {factory} credentialFactory, {configure})");
        w.Line("global::System.ArgumentException.ThrowIfNullOrEmpty(name);");
        w.Line("return Register(services, name, credentialFactory, configure);");
        w.Close();
        w.Line();

        w.Line($"/// <summary>Registers a named <see cref=\"{client}\"/> from configuration (the keys of the unnamed overload).</summary>");
        w.Line(ServicesParam);
        w.Line(NameParam);
        w.Line("/// <param name=\"configuration\">The tenant's section.</param>");
        w.Line("/// <param name=\"configure\">Configures the options after binding (once per registration).</param>");
        w.Line(Returns);
        w.Open($"public static {Builder} {add}(this {Services} services, string name, {Configuration} configuration, {configure})");
        w.Line("global::System.ArgumentException.ThrowIfNullOrEmpty(name);");
        w.Line("return RegisterConfigured(services, name, configuration, configure);");
        w.Close();
        w.Line();

        w.Open($"private static {Builder} Register({Services} services, string name, {factory} credentialFactory, global::System.Action<{options}>? configure)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(credentialFactory);");
        w.Line($"return {Runtime}.Infrastructure.EventsClientServices.AddClient<{client}, {options}>(services, name, credentialFactory, configure is null ? null : (_, o) => configure(o), Create);");
        w.Close();
        w.Line();

        w.Open($"private static {Builder} RegisterConfigured({Services} services, string name, {Configuration} configuration, global::System.Action<{options}>? configure)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(configuration);");
        w.Line($"return {Runtime}.Infrastructure.EventsClientServices.AddClient<{client}, {options}>(");
        w.Line("    services,");
        w.Line("    name,");
        w.Line($"    _ => {Runtime}.EventsClientConfiguration.ReadCredential(configuration),");
        w.Line("    (_, o) =>");
        w.Line("    {");
        w.Line($"        {Runtime}.EventsClientConfiguration.Bind(configuration, o);");
        w.Line($"        o.Endpoint = {Runtime}.EventsClientConfiguration.ReadEndpoint(configuration) ?? o.Endpoint;");
        w.Line("        if (!string.IsNullOrEmpty(configuration[\"Server\"]))");
        w.Line("        {");
        w.Line($"            o.Server = {Runtime}.EventsClientConfiguration.ReadEnum<{server}>(configuration, \"Server\");");
        w.Line("        }");
        if (templated)
        {
            w.Line();
            w.Line("        foreach (var variable in configuration.GetSection(\"ServerVariables\").GetChildren())");
            w.Line("        {");
            w.Line("            o.ServerVariables[variable.Key] = variable.Value;");
            w.Line("        }");
        }

        w.Line();
        w.Line("        configure?.Invoke(o);");
        w.Line("    },");
        w.Line("    Create);");
        w.Close();
        w.Line();

        w.Line($"private static {client} Create(global::System.Net.Http.HttpClient httpClient, {credential} credential, {options} options) =>");
        w.Line($"    new {client}(httpClient, options.ResolveEndpoint(), credential, options);");
        w.Close();
        w.Outdent();
    }
}
