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
