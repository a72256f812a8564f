// The tools the benchmark's parts need, found the way the parts will look for them.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { findChromium } from '../../src-main/report/pdf'

const onPath = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0

export const SSHD = { tool: 'OpenSSH server (sshd)', found: () => onPath('sshd') || existsSync('/usr/sbin/sshd'), install: 'apt-get install openssh-server openssh-client iproute2' }
export const CHROMIUM = {
  tool: 'Chromium',
  found: () => {
    try {
      return findChromium() !== ''
    } catch {
      return false
    }
  },
  install: 'apt-get install chromium, or set CHROME_PATH',
}
export const TERRAFORM = { tool: 'terraform', found: () => onPath('terraform'), install: 'https://developer.hashicorp.com/terraform/install' }
