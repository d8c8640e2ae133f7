// linux.resources.network → net_cls.classid and net_prio.ifpriomap (one "IFNAME PRIO"
// write per interface), controllers that exist only in cgroup v1.
import { arrayField, type CgroupLimit, intField, limit, LimitError, objectField, stringField } from '../limits.js';

export function networkV1Limits(v: unknown): CgroupLimit[] {
  const n = objectField('network', v);
  if (!n) return [];
  const out: CgroupLimit[] = [];
  const classID = intField('network.classID', n.classID, 0);
  if (classID !== undefined && classID !== 0) {
    if (classID > 0xffff_ffff) throw new LimitError('network.classID', `must fit 32 bits, got ${classID}`);
    out.push(limit('network.classID', 'net_cls.classid', classID));
  }
  arrayField('network.priorities', n.priorities).forEach((x, i) => {
    const field = `network.priorities[${i}]`;
    const p = objectField(field, x) ?? {};
    const name = stringField(`${field}.name`, p.name);
    if (!name || !/^[^\s/]+$/.test(name)) throw new LimitError(`${field}.name`, 'must be an interface name');
    const prio = intField(`${field}.priority`, p.priority, 0);
    if (prio === undefined) throw new LimitError(`${field}.priority`, 'is required');
    out.push(limit(field, 'net_prio.ifpriomap', `${name} ${prio}`));
  });
  return out;
}
