using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Specgen.Generator.Model;
using Specgen.Generator.Tests;
using Specgen.Runtime;

namespace Specgen.Conformance.Tests.Sweep;

/// <summary>The options of a generated client that talks to Prism: its root, no retries, a timeout per try, and a secret for every credential.</summary>
internal static class ClientSetup
{
    /// <summary>Distinctive, so that a secret Prism or a log shows can be traced to the setting that sent it.</summary>
    public const string ApiKey = "sweep-api-key";

    /// <param name="notes">What was set besides the API key, in words, for the test output.</param>
    public static ApiClientOptions Options(Uri prismRoot, TimeSpan timeoutPerTry, GeneratedAssembly generated, ClientModel client, out IReadOnlyList<string> notes)
    {
        var options = new ApiClientOptions
        {
            BaseAddress = prismRoot,
            MaxRetries = 0,
            Timeout = timeoutPerTry,
            ApiKey = ApiKey,
        };
        notes = SetCredentialsAndServersByReflection(options, generated, client, prismRoot);
        return options;
    }

    /// <summary>
    /// Authentication and per-operation servers are being added to the runtime and the generator
    /// while this sweep is written; this method codes against their agreed contract by reflection,
    /// so that it compiles today and takes effect when they land:
    /// <list type="bullet">
    /// <item><description><c>ApiClientOptions.Credentials</c> (a <c>Specgen.Runtime.ApiCredentials</c>) takes a
    /// generated <c>{Namespace}.{Client}Credentials</c> with one property per security scheme: a
    /// <c>string</c> (API keys, other http schemes), a <c>Specgen.Runtime.BasicCredential</c>
    /// (user name and password) or a <c>Specgen.Runtime.TokenCredential</c> (<c>FromToken</c>). Every
    /// property gets a distinctive secret.</description></item>
    /// <item><description><c>OperationModel.Server</c> (null for the client's default) names an operation's own
    /// server, and <c>ApiClientOptions.ServerAddresses</c> (server to address) redirects it: every
    /// such server goes to Prism's root, which serves every path of the document.</description></item>
    /// </list>
    /// </summary>
    /// <returns>What was set, for the test output.</returns>
    public static IReadOnlyList<string> SetCredentialsAndServersByReflection(ApiClientOptions options, GeneratedAssembly generated, ClientModel client, Uri prismRoot)
    {
        var notes = new List<string>();
        PropertyInfo? credentialsOption = typeof(ApiClientOptions).GetProperty("Credentials");
        Type? credentialsType = generated.Assembly.GetType($"{client.Namespace}.{client.Name}Credentials");
        if (credentialsOption is not null && credentialsType is not null)
        {
            object credentials = Activator.CreateInstance(credentialsType)!;
            foreach (PropertyInfo scheme in credentialsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                scheme.SetValue(credentials, SecretFor(scheme));
                notes.Add($"credential {scheme.Name} ({scheme.PropertyType.Name})");
            }

            credentialsOption.SetValue(options, credentials);
        }
        else
        {
            notes.Add(credentialsOption is null
                ? "no ApiClientOptions.Credentials in the runtime yet: only ApiKey is set"
                : $"no {client.Name}Credentials generated (the document declares no security scheme, or the generator does not emit it yet): only ApiKey is set");
        }

        PropertyInfo? serversOption = typeof(ApiClientOptions).GetProperty("ServerAddresses");
        PropertyInfo? serverOfOperation = typeof(OperationModel).GetProperty("Server");
        if (serversOption is not null && serverOfOperation is not null)
        {
            if (serversOption.GetValue(options) is null && serversOption.CanWrite)
            {
                serversOption.SetValue(options, new Dictionary<string, Uri>(StringComparer.Ordinal));
            }

            var addresses = serversOption.GetValue(options) as IDictionary<string, Uri>
                ?? throw new InvalidOperationException($"ApiClientOptions.ServerAddresses is a {serversOption.PropertyType}, not the agreed IDictionary<string, Uri>.");
            var servers = AllOperations(client).Select(o => serverOfOperation.GetValue(o) as string).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            foreach (string server in servers)
            {
                addresses[server] = prismRoot;
            }

            notes.Add($"{servers.Count} operation server(s) sent to Prism");
        }

        return notes;
    }

    /// <summary>Every operation of the client, on the client itself or in the class of a tag.</summary>
    public static IEnumerable<OperationModel> AllOperations(ClientModel client) =>
        client.Operations.Concat(client.Groups.SelectMany(g => g.Operations));

    private static object SecretFor(PropertyInfo scheme)
    {
        Type type = scheme.PropertyType;
        string secret = "sweep-secret-" + scheme.Name;
        if (type == typeof(string))
        {
            return secret;
        }

        if (type.FullName == "Specgen.Runtime.BasicCredential")
        {
            return Activator.CreateInstance(type, "sweep-user", "sweep-password-" + scheme.Name)!;
        }

        if (type.FullName == "Specgen.Runtime.TokenCredential")
        {
            return type.GetMethod("FromToken", BindingFlags.Public | BindingFlags.Static, [typeof(string)])!.Invoke(null, [secret])!;
        }

        throw new InvalidOperationException($"The credential {scheme.DeclaringType?.Name}.{scheme.Name} is a {type.FullName}, which the agreed contract does not have.");
    }
}
