using System.Reflection;
using NetArchTest.Rules;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.Tests.Architecture;

/// <summary>
/// Dependencies point one way (docs/architecture.md): transports (RawTts, SignalR, Http, Jobs) → Synthesis →
/// (Inference, History, Voices); the engine knows nothing of ASP.NET; the contracts know nothing but MessagePack's
/// attributes. Read from the compiled assemblies with NetArchTest, so a stray <c>using</c> cannot hide a dependency.
/// </summary>
public sealed class ArchitectureTests
{
    private const string HubNamespace = "VoxCpm.Hub";

    private static readonly Assembly s_hub = typeof(SynthesisService).Assembly;
    private static readonly Assembly s_engine = typeof(Engine.VoxCpmEngine).Assembly;
    private static readonly Assembly s_contracts = typeof(Contracts.SynthesisRequest).Assembly;

    private static readonly string[] s_transports = ["RawTts", "SignalR", "Http", "Jobs"];

    [Fact]
    public void The_engine_does_not_reference_ASP_NET()
    {
        Assert.DoesNotContain(s_engine.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        var result = Types.InAssembly(s_engine).ShouldNot().HaveDependencyOnAny("Microsoft.AspNetCore", "Microsoft.Extensions.Hosting", "VoxCpm.Hub").GetResult();
        Assert.True(result.IsSuccessful, Failing(result));
    }

    [Fact]
    public void The_contracts_reference_nothing_but_MessagePack_annotations()
    {
        var references = s_contracts.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, name => Assert.True(name is "MessagePack.Annotations" or "netstandard" || name.StartsWith("System", StringComparison.Ordinal), name));
        var result = Types.InAssembly(s_contracts).ShouldNot().HaveDependencyOnAny("MessagePack.Formatters", "MessagePack.Resolvers", "Microsoft", "VoxCpm.Engine", "VoxCpm.Hub.Data").GetResult();
        Assert.True(result.IsSuccessful, Failing(result));
    }

    [Fact]
    public void The_synthesis_path_and_what_it_uses_do_not_depend_on_transports()
    {
        foreach (var core in new[] { "Synthesis", "Inference", "History", "Voices" })
        {
            var result = Types.InAssembly(s_hub)
                .That().ResideInNamespace($"{HubNamespace}.{core}")
                .ShouldNot().HaveDependencyOnAny([.. s_transports.Select(t => $"{HubNamespace}.{t}")])
                .GetResult();
            Assert.True(result.IsSuccessful, $"{core}: {Failing(result)}");
        }
    }

    [Fact]
    public void Only_the_entry_point_depends_on_the_hosting_wiring()
    {
        var result = Types.InAssembly(s_hub)
            .That().ResideInNamespaceStartingWith(HubNamespace + ".")
            .And().DoNotResideInNamespace($"{HubNamespace}.Hosting")
            .ShouldNot().HaveDependencyOn($"{HubNamespace}.Hosting")
            .GetResult();
        Assert.True(result.IsSuccessful, Failing(result));
    }

    [Fact]
    public void The_hubs_folders_have_no_dependency_cycles()
    {
        var folders = s_hub.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith(HubNamespace + ".", StringComparison.Ordinal))
            .Select(n => n!.Split('.')[2])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var from in folders)
        {
            edges[from] = [.. folders.Where(to => to != from && DependsOn(from, to))];
        }

        var cycleEdges = CycleEdges(folders, edges).ToList();
        Assert.True(cycleEdges.Count == 0, "folder dependencies that close a cycle: " + string.Join(", ", cycleEdges));
    }

    private static bool DependsOn(string from, string to) =>
        !Types.InAssembly(s_hub)
            .That().ResideInNamespace($"{HubNamespace}.{from}")
            .ShouldNot().HaveDependencyOn($"{HubNamespace}.{to}")
            .GetResult().IsSuccessful;

    /// <summary>Edges whose two ends lie in one strongly connected component (Tarjan), i.e. on some cycle.</summary>
    private static IEnumerable<string> CycleEdges(List<string> nodes, Dictionary<string, List<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var component = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var counter = 0;
        var components = 0;

        void Visit(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            foreach (var w in edges[v])
            {
                if (!index.TryGetValue(w, out var visited))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (!component.ContainsKey(w))
                {
                    low[v] = Math.Min(low[v], visited);
                }
            }

            if (low[v] == index[v])
            {
                string w;
                do
                {
                    w = stack.Pop();
                    component[w] = components;
                }
                while (w != v);
                components++;
            }
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return nodes.SelectMany(from => edges[from].Where(to => component[from] == component[to]).Select(to => $"{from} → {to}"));
    }

    private static string Failing(TestResult result) => string.Join(", ", result.FailingTypeNames ?? []);
}
