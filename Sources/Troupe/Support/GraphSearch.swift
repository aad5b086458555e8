/// Cycle finding and topological ordering over graphs given as successor lists of indices.
enum GraphSearch {
    /// One cycle per back edge found by depth-first search, each as the nodes along it.
    static func cycles(_ successors: [[Int]]) -> [[Int]] {
        enum Mark { case unvisited, onPath, done }
        var marks = Array(repeating: Mark.unvisited, count: successors.count)
        var found: [[Int]] = []
        for root in successors.indices where marks[root] == .unvisited {
            var path: [Int] = [root]
            var cursors: [Int] = [0]
            marks[root] = .onPath
            while let node = path.last {
                let cursor = cursors[cursors.count - 1]
                guard cursor < successors[node].count else {
                    marks[node] = .done
                    path.removeLast()
                    cursors.removeLast()
                    continue
                }
                cursors[cursors.count - 1] += 1
                let next = successors[node][cursor]
                switch marks[next] {
                case .onPath: found.append(Array(path[path.lastIndex(of: next)!...]))
                case .unvisited:
                    marks[next] = .onPath
                    path.append(next)
                    cursors.append(0)
                case .done: break
                }
            }
        }
        return found
    }

    /// Kahn's order, lowest index first among ready nodes; nodes on cycles are left out.
    static func topologicalOrder(_ successors: [[Int]]) -> [Int] {
        var remaining = Array(repeating: 0, count: successors.count)
        for targets in successors { for target in targets { remaining[target] += 1 } }
        var ready = successors.indices.filter { remaining[$0] == 0 }
        var order: [Int] = []
        var cursor = 0
        while cursor < ready.count {
            let node = ready[cursor]
            cursor += 1
            order.append(node)
            for target in successors[node] {
                remaining[target] -= 1
                if remaining[target] == 0 { ready.append(target) }
            }
        }
        return order
    }
}

extension GraphSearch {
    /// A strongly connected component that holds a cycle, with one of its cycles as an example.
    struct CyclicComponent {
        /// Every node of the component, in the order found.
        let members: [Int]
        /// A shortest cycle through the component's first-found node, without repeating that node at the end.
        let exampleCycle: [Int]
    }

    /// The strongly connected components of more than one node (Tarjan's algorithm, iterative so that
    /// a deep graph cannot overflow the stack), each with one example cycle: linear in nodes + edges.
    /// Self-loops do not count; callers report them on their own.
    static func cyclicComponents(_ successors: [[Int]]) -> [CyclicComponent] {
        let count = successors.count
        let unvisited = -1
        var order = Array(repeating: unvisited, count: count)
        var lowLink = Array(repeating: 0, count: count)
        var onStack = Array(repeating: false, count: count)
        var componentOf = Array(repeating: -1, count: count)
        var stack: [Int] = []
        var found: [[Int]] = []
        var nextOrder = 0
        for root in 0..<count where order[root] == unvisited {
            var path: [(node: Int, cursor: Int)] = [(root, 0)]
            order[root] = nextOrder
            lowLink[root] = nextOrder
            nextOrder += 1
            stack.append(root)
            onStack[root] = true
            while let (node, cursor) = path.last {
                if cursor < successors[node].count {
                    path[path.count - 1].cursor += 1
                    let next = successors[node][cursor]
                    if order[next] == unvisited {
                        order[next] = nextOrder
                        lowLink[next] = nextOrder
                        nextOrder += 1
                        stack.append(next)
                        onStack[next] = true
                        path.append((next, 0))
                    } else if onStack[next] {
                        lowLink[node] = min(lowLink[node], order[next])
                    }
                    continue
                }
                path.removeLast()
                if let parent = path.last?.node { lowLink[parent] = min(lowLink[parent], lowLink[node]) }
                guard lowLink[node] == order[node] else { continue }
                var members: [Int] = []
                while let member = stack.popLast() {
                    onStack[member] = false
                    members.append(member)
                    if member == node { break }
                }
                if members.count > 1 {
                    for member in members { componentOf[member] = found.count }
                    found.append(members.reversed())
                }
            }
        }
        return found.enumerated().map { index, members in
            CyclicComponent(members: members, exampleCycle: shortestCycle(through: members[0], within: index, componentOf, successors))
        }
    }

    /// Breadth-first search from `start` back to itself, staying inside its component.
    private static func shortestCycle(through start: Int, within component: Int, _ componentOf: [Int], _ successors: [[Int]]) -> [Int] {
        var parent: [Int: Int] = [start: start]
        var queue = [start]
        var cursor = 0
        while cursor < queue.count {
            let node = queue[cursor]
            cursor += 1
            for next in successors[node] where componentOf[next] == component {
                if next == start {
                    var cycle = [node]
                    while let previous = parent[cycle[cycle.count - 1]], previous != cycle[cycle.count - 1] { cycle.append(previous) }
                    return cycle.reversed()
                }
                if parent[next] == nil {
                    parent[next] = node
                    queue.append(next)
                }
            }
        }
        return [start]
    }
}
