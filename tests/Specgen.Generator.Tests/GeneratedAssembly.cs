using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Specgen.Generator.Tests;

/// <summary>
/// Generated code compiled and loaded into this process, in a collectible load context, so that a
/// test can run it. Specgen.Runtime comes from the test's own load context, so the runtime types
/// the generated code uses are the very types the test sees.
/// </summary>
/// <remarks>Reflection is used here and in the tests only: the generated code never uses it.</remarks>
internal sealed class GeneratedAssembly : IDisposable
{
    private readonly GeneratedCodeLoadContext _context;
    private readonly string _namespace;
    private readonly JsonSerializerOptions _options;

    private GeneratedAssembly(GeneratedCodeLoadContext context, Assembly assembly, string ns, string client)
    {
        _context = context;
        _namespace = ns;
        Assembly = assembly;

        // The generated resolver is the only way in: JsonSerializer then uses the generated converters.
        _options = (JsonSerializerOptions)Type(client + "JsonTypeInfoResolver").GetProperty("Options", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    public Assembly Assembly { get; }

    /// <summary>The generated resolver's options: JSON in and out of generated types through the generated converters.</summary>
    public JsonSerializerOptions JsonOptions => _options;

    /// <summary>Generates from a scenario spec, compiles the output and loads it.</summary>
    public static GeneratedAssembly FromScenario(string scenario, string ns = "Test.Api", string client = "TestClient") =>
        FromSpec(GeneratorHarness.Scenario(scenario), ns, client);

    /// <summary>Generates from spec text, compiles the output (which must be clean) and loads it.</summary>
    /// <param name="allowDiagnostics">Whether the spec may have diagnostics (a scenario that shows some); the output must still compile cleanly.</param>
    public static GeneratedAssembly FromSpec(string spec, string ns = "Test.Api", string client = "TestClient", TestOptionsProvider? options = null, bool allowDiagnostics = false)
    {
        GenerationResult result = GeneratorHarness.Run(spec, options: options ?? GeneratorHarness.DefaultOptions(ns: ns, client: client));
        if (allowDiagnostics)
        {
            result.AssertNoCrash();
            result.AssertCompiles();
        }
        else
        {
            result.AssertCleanAndCompiles();
        }

        return FromCompilation(result.Compilation, ns, client);
    }

    /// <summary>Emits a compilation that holds generated code and loads it; <paramref name="ns"/> and <paramref name="client"/> name its client.</summary>
    public static GeneratedAssembly FromCompilation(Compilation compilation, string ns, string client)
    {
        using var image = new MemoryStream();
        EmitResult emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;

        var context = new GeneratedCodeLoadContext();
        return new GeneratedAssembly(context, context.LoadFromStream(image), ns, client);
    }

    /// <summary>A generated type by its simple name.</summary>
    public Type Type(string name) =>
        Assembly.GetType(_namespace + "." + name) ?? throw new InvalidOperationException($"No generated type {_namespace}.{name}.");

    /// <summary>A generated client that sends through <paramref name="handler"/> to <c>https://api.test/</c>.</summary>
    public object Client(System.Net.Http.HttpMessageHandler handler, string client = "TestClient", int maxRetries = 0) =>
        Activator.CreateInstance(
            Type(client),
            new Specgen.Runtime.ApiClientOptions { BaseAddress = new Uri("https://api.test/"), MaxRetries = maxRetries, InitialRetryDelay = TimeSpan.Zero },
            new System.Net.Http.HttpClient(handler))!;

    /// <summary>Sets a public property (also a <c>required</c> one, which only the compiler enforces).</summary>
    public static void Set(object target, string property, object? value) =>
        (target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{target.GetType().Name} has no property {property}.")).SetValue(target, value);

    /// <summary>Calls a public static method of a generated type.</summary>
    public object? CallStatic(string typeName, string method, params object?[] arguments) =>
        Type(typeName).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);

    /// <summary>Calls an async method of a generated object and returns its result (null for a plain Task).</summary>
    public static async System.Threading.Tasks.Task<object?> CallAsync(object target, string method, params object?[] arguments)
    {
        var task = (System.Threading.Tasks.Task)Call(target, method, arguments)!;
        await task.ConfigureAwait(false);
        return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
    }

    /// <summary>Reads <paramref name="json"/> as the generated type <paramref name="typeName"/>.</summary>
    public object Read(string typeName, string json) => JsonSerializer.Deserialize(json, Type(typeName), _options)!;

    /// <summary>Writes a value of a generated type as JSON.</summary>
    public string Write(object value) => JsonSerializer.Serialize(value, value.GetType(), _options);

    /// <summary>The value of a public instance or static property.</summary>
    public static object? Get(object target, string property)
    {
        Type type = target as Type ?? target.GetType();
        PropertyInfo info = type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{type.Name} has no property {property}.");
        return info.GetValue(target is Type ? null : target);
    }

    /// <summary>Calls a public method, unwrapping the exception it throws.</summary>
    public static object? Call(object target, string method, params object?[] arguments)
    {
        MethodInfo info = target.GetType().GetMethod(method, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{target.GetType().Name} has no method {method}.");
        try
        {
            return info.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    public void Dispose() => _context.Unload();

    private sealed class GeneratedCodeLoadContext() : AssemblyLoadContext("Specgen generated code", isCollectible: true)
    {
        private static readonly Assembly Runtime = typeof(Specgen.Runtime.ApiPipeline).Assembly;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            AssemblyName.ReferenceMatchesDefinition(assemblyName, Runtime.GetName())
                ? AssemblyLoadContext.GetLoadContext(typeof(GeneratedAssembly).Assembly)!.LoadFromAssemblyName(assemblyName)
                : null;
    }
}
