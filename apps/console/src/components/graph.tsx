import { href } from '../router';

export interface Edge {
  id: string;
  type: string;
  other: string;
  otherName: string;
  outgoing: boolean;
}

/** A small relationship graph: the object in the middle, what it is related to around it (each a link). */
export function RelationGraph({ center, edges }: { center: string; edges: Edge[] }) {
  const size = 360;
  const r = 130;
  const c = size / 2;
  const nodes = edges.slice(0, 16).map((e, i, all) => {
    const a = (2 * Math.PI * i) / all.length - Math.PI / 2;
    return { ...e, x: c + r * Math.cos(a), y: c + r * Math.sin(a) };
  });
  return (
    <svg viewBox={`0 0 ${size} ${size}`} className="graph" role="group" aria-label={`Relationships of ${center}`}>
      {nodes.map((n) => (
        <g key={n.id}>
          <line x1={c} y1={c} x2={n.x} y2={n.y} className="edge" />
          <text x={(c + n.x) / 2} y={(c + n.y) / 2} className="edge-label">
            {n.type}
          </text>
        </g>
      ))}
      <circle cx={c} cy={c} r={20} className="node center" />
      <text x={c} y={c + 36} textAnchor="middle" className="node-label">
        {center.split('--')[0]}
      </text>
      {nodes.map((n) => (
        <a key={n.id + 'n'} href={href('object', n.other)} aria-label={`${n.outgoing ? '' : 'from '}${n.otherName} (${n.type})`}>
          <circle cx={n.x} cy={n.y} r={12} className="node" />
          <text x={n.x} y={n.y + 26} textAnchor="middle" className="node-label">
            {n.otherName.length > 22 ? n.otherName.slice(0, 21) + '…' : n.otherName}
          </text>
        </a>
      ))}
    </svg>
  );
}
